import type { Knex } from 'knex';

/** The part of better-sqlite3's Database that the connection set-up uses. */
export interface BetterSqliteConnection {
  pragma(sql: string): unknown;
  prepare(sql: string): unknown;
}

/** Different SQL texts kept prepared per connection; past this the cache starts over. */
export const PREPARED_STATEMENT_CACHE_SIZE = 200;

/**
 * Knex compiles the same few SQL texts over and over (the home page runs four), and its
 * better-sqlite3 client prepares each anew: a fifth of a page's database time. A better-sqlite3
 * statement can be run again and again (each run is synchronous, so runs never overlap), so the
 * connection hands back the statement it prepared before for the same text. SQLite re-prepares a
 * statement itself when the schema changes. Texts that vary (bulk inserts of n rows) are bounded:
 * when the cache is full it is emptied. One rule follows: no query may set knex's `safeIntegers`
 * option, because knex sets it on the statement, which would keep it for the next query.
 */
export function reusePreparedStatements(conn: BetterSqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const statements = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      if (statements.size >= PREPARED_STATEMENT_CACHE_SIZE) statements.clear();
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/**
 * Every transaction the app opens writes. SQLite starts a plain BEGIN as a reader and upgrades it
 * at the first write; if another process (a second worker, the CLI) committed in between, the
 * upgrade fails at once with SQLITE_BUSY, without waiting (the busy timeout does not apply to a
 * stale snapshot): a delete that read the row first answered 503 about once in 300 under two
 * workers. BEGIN IMMEDIATE takes the write lock first, so other writers wait their busy timeout
 * (the transaction lasts well under a millisecond) and the transaction itself never fails this way.
 * Knex begins every transaction with exactly 'BEGIN;', prepared through the connection.
 */
export function beginTransactionsImmediately(conn: BetterSqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql: string) => prepare(sql === 'BEGIN;' ? 'BEGIN IMMEDIATE;' : sql);
}

/** The part of a better-sqlite3 statement allPrepared uses. */
interface SqliteStatement {
  all(...values: unknown[]): Record<string, unknown>[];
}

/**
 * Runs one reading statement on the pool's connection, straight through better-sqlite3 (prepared
 * once, see reusePreparedStatements), with values bound as knex's client binds them: what
 * knex.raw() does, without its per-query work (about 8–14 µs of a page's two statements).
 */
export async function allPrepared(
  db: Knex,
  sql: string,
  values: readonly unknown[],
): Promise<Record<string, unknown>[]> {
  const conn = (await db.client.acquireConnection()) as { prepare(sql: string): SqliteStatement };
  try {
    return conn.prepare(sql).all(...values.map(asSqliteValue));
  } finally {
    await db.client.releaseConnection(conn);
  }
}

const asSqliteValue = (value: unknown) =>
  value instanceof Date ? value.valueOf() : typeof value === 'boolean' ? Number(value) : value;
