import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import { migrationSource } from './migration-source';
import { reusePreparedStatements, type BetterSqliteConnection } from './prepared-statements';

/** How long one statement waits for another process's lock before SQLITE_BUSY (a 503). */
export const BUSY_TIMEOUT_MS = 250;

/**
 * The one Knex configuration, used by the app, the migrate and seed commands and knexfile.ts.
 * SQLite today; PostgreSQL is a new branch here, not a change in the models.
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

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'get-it-done.sqlite3');
}

/** Opens the app's database: a file in dataDir, or ':memory:' for tests. Starts nothing else. */
export function createDb(location: { dataDir: string } | ':memory:'): Knex {
  if (location === ':memory:') return knex(knexConfig(':memory:'));
  fs.mkdirSync(location.dataDir, { recursive: true });
  return knex(knexConfig(databaseFile(location.dataDir)));
}

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest();
}
