import { expect, it } from 'vitest';
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
