import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Knex } from 'knex';
import { migrateToLatest, withMigrator } from '../../src/db/knex';
import { cutOffSessions } from '../../src/models/session-cutoffs';
import { listTaskPage } from '../../src/models/task-lists';
import { addTask, completeTask, findTask } from '../../src/models/tasks';
import { createUser, findUserById, findUserForSession } from '../../src/models/users';
import { createEmptyDb, onPostgres } from '../helpers/test-database';

// The same migrations on both databases: up from nothing, down all the way, and up again.

const APP_TABLES = ['users', 'tasks', 'session_cutoffs', 'sessions'];
/** The sessions table is PostgreSQL's only: on SQLite sessions live in a file of their own. */
const expectedTables = onPostgres ? APP_TABLES : APP_TABLES.filter((name) => name !== 'sessions');

let db: Knex;
beforeEach(async () => {
  db = await createEmptyDb();
});
afterEach(async () => {
  await db.destroy();
});

async function existingTables(): Promise<string[]> {
  const found: string[] = [];
  for (const name of APP_TABLES) if (await db.schema.hasTable(name)) found.push(name);
  return found;
}

const rollbackAll = () => withMigrator(db, (m) => m.migrate.rollback(undefined, true));

describe('the migrations', () => {
  it('run up, down all the way, and up again', async () => {
    expect(await existingTables()).toEqual([]);
    await migrateToLatest(db);
    expect(await existingTables()).toEqual(expectedTables);
    const [, pending] = (await withMigrator(db, (m) => m.migrate.list())) as [unknown[], unknown[]];
    expect(pending).toEqual([]); // nothing left to run

    await rollbackAll();
    expect(await existingTables()).toEqual([]);

    await migrateToLatest(db);
    expect(await existingTables()).toEqual(expectedTables);
  });

  it('give the same column behaviour on both: booleans, timestamps, bigints, returning, defaults', async () => {
    await migrateToLatest(db);
    const before = Date.now() - 1000;
    const user = (await createUser(db, { email: 'types@example.com', passwordHash: 'h' }))!;
    // created_at comes from the database's clock (CURRENT_TIMESTAMP) and reads back as a Date.
    expect(user.createdAt).toBeInstanceOf(Date);
    expect(user.createdAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect((await findUserById(db, user.id))?.createdAt.getTime()).toBe(user.createdAt.getTime());

    const task = (await addTask(db, user.id, 'typed', 10_000))!;
    expect(task).toMatchObject({ name: 'typed', completed: false, completedAt: null });
    expect(await completeTask(db, user.id, task.id)).toBe('typed');
    const done = await findTask(db, user.id, task.id);
    expect(done?.completed).toBe(true);
    expect(done?.completedAt).toBeInstanceOf(Date);
    expect((await listTaskPage(db, user.id, { kind: 'completed' }, { limit: 5 })).tasks).toEqual([
      { id: task.id, name: 'typed', completed: true, due: null },
    ]);

    // valid_after is a bigint of milliseconds: beyond int4, and a number when read back.
    const now = Date.now();
    await cutOffSessions(db, user.id, now);
    const row = await db('session_cutoffs').where({ user_id: user.id }).first<{ valid_after: unknown }>();
    expect(row.valid_after).toBe(now);
    expect(await findUserForSession(db, user.id, now - 1)).toBeUndefined();
    expect((await findUserForSession(db, user.id, now))?.id).toBe(user.id);
  });

  // PostgreSQL only: there several instances may start at once during a deploy and each runs the
  // migrations; SQLite's processes share one machine, where one process migrates for all.
  if (onPostgres) {
    it('run once when several processes start at the same moment (the others wait and find nothing to do)', async () => {
      const results = await Promise.allSettled([
        migrateToLatest(db),
        migrateToLatest(db),
        migrateToLatest(db),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      expect(await existingTables()).toEqual(expectedTables);
      const runs = await db('knex_migrations').count({ n: '*' }).first<{ n: number }>();
      const [done] = (await withMigrator(db, (m) => m.migrate.list())) as [unknown[], unknown[]];
      expect(runs.n).toBe(done.length);
    });
  }

  it('keep users and tasks when the list index is rebuilt (down and up of that migration)', async () => {
    await migrateToLatest(db);
    const user = (await createUser(db, { email: 'keep@example.com', passwordHash: 'h' }))!;
    for (const name of ['one', 'two', 'three']) await addTask(db, user.id, name, 10_000);
    const name = '20261201000000_tasks_list_index';
    await withMigrator(db, (m) => m.migrate.down({ name }));
    await withMigrator(db, (m) => m.migrate.up({ name }));
    const names = (await listTaskPage(db, user.id, { kind: 'open' }, { limit: 10 })).tasks.map((t) => t.name);
    expect(names).toEqual(['one', 'two', 'three']);
  });
});
