import path from 'node:path';
import type { Knex } from 'knex';
import { migrationSource } from './src/migration-source';

/** How long one statement waits for another process's lock before SQLITE_BUSY (a 503). */
export const BUSY_TIMEOUT_MS = 250;

/**
 * The one Knex configuration, used by the app (src/db.ts), the migrate CLI and the seed CLI.
 * SQLite today; PostgreSQL later is a new branch here, not a change in the models.
 */
export function knexConfig(filename: string): Knex.Config {
  return {
    client: 'better-sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    migrations: { migrationSource },
    pool: {
      min: 1,
      max: 1,
      // Each new connection gets the settings the app relies on. better-sqlite3 hands us its
      // Database object here, so pragma() is the call (not query()).
      afterCreate(conn: BetterSqliteConnection, done: (err: Error | null, conn: unknown) => void) {
        try {
          reusePreparedStatements(conn);
          conn.pragma('journal_mode = WAL');
          // Set explicitly: better-sqlite3 defaults reopened WAL files to NORMAL. FULL means a
          // task answered with a redirect survives even a power loss (SQLite's promise).
          conn.pragma('synchronous = FULL');
          conn.pragma('foreign_keys = ON');
          // better-sqlite3 is synchronous: while another process holds the write lock, a wait
          // here stops the whole event loop. Wait out a brief lock (a CLI, a backup step), then
          // fail fast: the error handler turns SQLITE_BUSY into a 503 instead of a hanging page.
          conn.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  };
}

interface BetterSqliteConnection {
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
function reusePreparedStatements(conn: BetterSqliteConnection): void {
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

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'get-it-done.sqlite3');
}

export default knexConfig(databaseFile(path.resolve(process.env.DATA_DIR ?? './data')));
