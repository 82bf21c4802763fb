import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDb, migrateToLatest } from '../../src/db';

const MIGRATION = '20261125000000_create_session_cutoffs';

let db: Knex;
beforeEach(async () => {
  db = createDb(':memory:');
  await migrateToLatest(db);
});
afterEach(async () => {
  await db.destroy();
});

async function counts() {
  const users = await db('users').count({ n: '*' }).first<{ n: number }>();
  const tasks = await db('tasks').count({ n: '*' }).first<{ n: number }>();
  return { users: Number(users.n), tasks: Number(tasks.n) };
}

describe('the session cut-off migration', () => {
  it('leaves users and tasks alone going down and up again (it never alters the users table)', async () => {
    const [user] = await db('users').insert({ email: 'a@example.com', password_hash: 'h' }).returning(['id']);
    await db('tasks').insert([
      { name: 'one', owner_id: user.id },
      { name: 'two', owner_id: user.id },
    ]);
    await db('session_cutoffs').insert({ user_id: user.id, valid_after: Date.now() });
    expect(await counts()).toEqual({ users: 1, tasks: 2 });

    await db.migrate.down({ name: MIGRATION });
    expect(await db.schema.hasTable('session_cutoffs')).toBe(false);
    expect(await counts()).toEqual({ users: 1, tasks: 2 });

    await db.migrate.up({ name: MIGRATION });
    expect(await db.schema.hasTable('session_cutoffs')).toBe(true);
    expect(await counts()).toEqual({ users: 1, tasks: 2 });
  });

  it('goes with the user when the user is deleted', async () => {
    const [user] = await db('users').insert({ email: 'b@example.com', password_hash: 'h' }).returning(['id']);
    await db('session_cutoffs').insert({ user_id: user.id, valid_after: 1 });
    await db('users').where({ id: user.id }).delete();
    expect(await db('session_cutoffs')).toEqual([]);
  });
});
