import fs from 'node:fs';
import path from 'node:path';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { databaseFile, type DatabaseConfig } from '../config';
import type { Logger } from '../logger';
import { migrationSource } from './migration-source';
import {
  beginTransactionsImmediately,
  reusePreparedStatements,
  type BetterSqliteConnection,
} from './prepared-statements';

export { databaseFile };

/** How long one statement waits for another process's lock before SQLITE_BUSY (a 503). */
export const BUSY_TIMEOUT_MS = 250;

/**
 * PostgreSQL: how long a request waits for a connection (the pool is busy, or the server does
 * not answer) before it fails with a 503. Short, so that /healthz says "unavailable" within 2 s.
 */
export const PG_ACQUIRE_TIMEOUT_MS = 1500;
/** PostgreSQL: how long opening one connection may take (a server that does not answer at all). */
export const PG_CONNECT_TIMEOUT_MS = 1000;

/**
 * The one Knex configuration, used by the app, the migrate and seed commands and knexfile.ts.
 * With a logger, Knex's own warnings (a failed connection attempt, while PostgreSQL is down)
 * become one JSON line each instead of a stack trace on stderr.
 */
export function knexConfig(database: DatabaseConfig, logger?: Logger): Knex.Config {
  const config = database.client === 'pg' ? postgresConfig(database) : sqliteConfig(database.filename);
  return logger ? { ...config, log: knexLog(logger) } : config;
}

const firstLine = (message: unknown) => String(message).split('\n')[0];

function knexLog(logger: Logger): Knex.Logger {
  return {
    warn: (message) => logger.warn({ source: 'knex' }, firstLine(message)),
    error: (message) => logger.error({ source: 'knex' }, firstLine(message)),
    deprecate: (method, alternative) =>
      logger.warn({ source: 'knex' }, `${method} is deprecated: ${alternative}`),
    debug: () => {},
  };
}

function sqliteConfig(filename: string): Knex.Config {
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
          beginTransactionsImmediately(conn);
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

type PostgresDatabase = Extract<DatabaseConfig, { client: 'pg' }>;

const INT8_OID = 20;

/**
 * pg returns bigint (count(*), the bigInteger columns) as a string, to be safe beyond 2^53;
 * SQLite returns a number. Ours are counts and millisecond times, far below 2^53, so they come
 * back as numbers on both databases. Every other type parses as pg does by default.
 */
const pgTypes: Knex.PgConnectionConfig['types'] = {
  getTypeParser: (oid, format) =>
    oid === INT8_OID && format === 'text' ? Number : pg.types.getTypeParser(oid, format as 'text'),
};

function postgresConfig(database: PostgresDatabase): Knex.Config {
  const connection: Knex.PgConnectionConfig = {
    connectionString: database.url,
    // Cancelled by the server after this long: a stuck query (a lock, a runaway plan) becomes
    // a 503 for its request, and the connection stays usable.
    statement_timeout: database.statementTimeoutMs,
    // A server that accepts the connection but never answers (a dead host, a cut network).
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    // And one that stops answering in the middle of a query: the client gives up a little
    // after the server would have cancelled the statement itself.
    query_timeout: database.statementTimeoutMs + PG_CONNECT_TIMEOUT_MS,
    types: pgTypes,
    keepAlive: true,
    application_name: 'get-it-done',
  };
  return {
    client: 'pg',
    connection,
    ...(database.searchPath ? { searchPath: [database.searchPath] } : {}),
    migrations: { migrationSource },
    acquireConnectionTimeout: PG_ACQUIRE_TIMEOUT_MS,
    pool: {
      // No idle connections kept open while nothing happens; connections that broke (the
      // server restarted) are dropped by the pool and opened again on the next request.
      min: 0,
      max: database.poolMax,
      afterCreate: preparePgConnection,
    },
  };
}

/** The part of a pg Client the connection set-up touches (knex marks broken connections this way). */
interface PgConnection {
  query: (...args: unknown[]) => unknown;
  __knex__disposed?: unknown;
}

/**
 * Each new PostgreSQL connection. pg's query_timeout answers the query with "Query read
 * timeout" but leaves the connection in the pool, still waiting for the reply that never comes:
 * every later query on it would time out as well. Marked disposed, the pool drops it and opens
 * a fresh one instead.
 */
function preparePgConnection(conn: PgConnection, done: (err: Error | null, conn: unknown) => void) {
  const query = conn.query.bind(conn);
  conn.query = (...args: unknown[]) => {
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (err: unknown, ...rest: unknown[]) => {
        if (err instanceof Error && err.message === 'Query read timeout') conn.__knex__disposed = err;
        return (callback as (...a: unknown[]) => unknown)(err, ...rest);
      };
    }
    return query(...args);
  };
  // Times without a zone (none of ours, but a hand-written '2020-01-02 03:04:05') mean UTC,
  // as on SQLite, whatever the server's TimeZone setting.
  conn.query("SET TIME ZONE 'UTC'", (err: Error | null) => done(err, conn));
}

/** Opens the app's database (SQLite: creates DATA_DIR if needed). Starts nothing else. */
export function createDb(database: DatabaseConfig, logger?: Logger): Knex {
  if (database.client === 'sqlite' && database.filename !== ':memory:') {
    fs.mkdirSync(path.dirname(database.filename), { recursive: true });
  }
  return knex(knexConfig(database, logger));
}

/**
 * Runs migration work (latest, rollback). On PostgreSQL it runs on a connection of its own
 * without the statement timeout (building an index on a big table may rightly take longer than
 * any request should), holding an advisory lock: instances that start at once during a deploy
 * migrate one after the other (the later ones find nothing to do) instead of failing on each
 * other's CREATE TABLE. SQLite has no such timeout and keeps its one connection.
 */
export async function withMigrator<T>(db: Knex, work: (migrator: Knex) => Promise<T>): Promise<T> {
  if (db.client.config.client !== 'pg') return work(db);
  const config = db.client.config as Knex.Config;
  const connection = config.connection as Knex.PgConnectionConfig;
  const migrator = knex({
    ...config,
    connection: { ...connection, statement_timeout: 0, query_timeout: undefined },
    pool: { min: 0, max: 1 },
  });
  try {
    // The pool's one connection holds the session's lock for the whole work.
    await migrator.raw("SELECT pg_advisory_lock(hashtext('get-it-done migrations'))");
    return await work(migrator);
  } finally {
    await migrator.destroy(); // closing the session releases the lock
  }
}

export async function migrateToLatest(db: Knex): Promise<void> {
  await withMigrator(db, (migrator) => migrator.migrate.latest());
}
