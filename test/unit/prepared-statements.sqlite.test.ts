import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { createDb, migrateToLatest } from '../../src/db/knex';
import { PREPARED_STATEMENT_CACHE_SIZE } from '../../src/db/prepared-statements';
import { useMigratedDb } from '../helpers/test-app';

// SQLite only (*.sqlite.test.ts; .config/vitest.config.mts leaves it out of npm run test:pg): the
// cache wraps better-sqlite3's prepare() on each connection, and PostgreSQL connections have none.

const fresh = useMigratedDb();

interface Connection {
  prepare(sql: string): object;
}

async function withConnection<T>(run: (conn: Connection) => T): Promise<T> {
  const conn = (await fresh.db.client.acquireConnection()) as Connection;
  try {
    return run(conn);
  } finally {
    await fresh.db.client.releaseConnection(conn);
  }
}

it('prepares each SQL text once per connection, and starts over past the cache size', async () => {
  await withConnection((conn) => {
    const first = conn.prepare('SELECT id FROM users WHERE id = ?');
    expect(conn.prepare('SELECT id FROM users WHERE id = ?')).toBe(first);
    expect(conn.prepare('SELECT email FROM users WHERE id = ?')).not.toBe(first);
    for (let i = 0; i < PREPARED_STATEMENT_CACHE_SIZE; i++) conn.prepare(`SELECT ${i}`);
    expect(conn.prepare('SELECT id FROM users WHERE id = ?')).not.toBe(first);
  });
});

it('answers a repeated query with the current rows and the current schema', async () => {
  const db = fresh.db;
  await db.schema.createTable('notes', (table) => {
    table.increments('id');
    table.string('body');
  });
  await db('notes').insert({ body: 'one' });
  expect(await db('notes').select('*')).toEqual([{ id: 1, body: 'one' }]);
  await db('notes').insert({ body: 'two' });
  await db.schema.alterTable('notes', (table) => table.integer('stars').defaultTo(3));
  // The same SQL text as before: the reused statement sees the new row and the new column.
  expect(await db('notes').select('*')).toEqual([
    { id: 1, body: 'one', stars: 3 },
    { id: 2, body: 'two', stars: 3 },
  ]);
  await expect(db('notes').where('nope', 1)).rejects.toThrow(/no such column/);
  expect(await db('notes').count({ n: '*' })).toEqual([{ n: 2 }]);
});

it('a transaction that read first still writes when another connection wrote meanwhile (BEGIN IMMEDIATE)', async () => {
  // Two connections on one file, as two workers have: without BEGIN IMMEDIATE the reader's
  // DELETE failed with SQLITE_BUSY at once because the other connection committed in between.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gid-immediate-'));
  const filename = path.join(dir, 'tasks.sqlite3');
  const first = createDb({ client: 'sqlite', filename });
  const second = createDb({ client: 'sqlite', filename });
  try {
    await migrateToLatest(first);
    const [user] = await first('users')
      .insert({ email: 'a@example.com', password_hash: 'x' })
      .returning('id');
    const [task] = await first('tasks')
      .insert({ owner_id: user!.id, name: 'Read, then delete' })
      .returning('id');
    let secondWrite: Promise<unknown> | undefined;
    const deleted = await first.transaction(async (trx) => {
      const row = await trx('tasks').where({ id: task!.id }).first();
      // The other connection tries to write while this transaction is open: it waits for the
      // lock (and, sharing this thread, gives up after its busy timeout) instead of winning.
      secondWrite = second('tasks')
        .insert({ owner_id: user!.id, name: 'Written meanwhile' })
        .then(
          () => 'written',
          (err: Error) => err.message,
        );
      await secondWrite;
      return row ? await trx('tasks').where({ id: task!.id }).delete() : 0;
    });
    expect(deleted).toBe(1);
    expect(await secondWrite).toMatch(/SQLITE_BUSY|database is locked/);
    expect(await first('tasks').pluck('name')).toEqual([]);
  } finally {
    await first.destroy();
    await second.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
