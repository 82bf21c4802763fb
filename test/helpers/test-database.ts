import crypto from 'node:crypto';
import knex, { type Knex } from 'knex';
import type { DatabaseConfig } from '../../src/config';
import { createDb, migrateToLatest } from '../../src/db/knex';

// The database the suite runs on. `npm test`: SQLite in memory. `npm run test:pg` (or any run
// with TEST_DATABASE_URL set): PostgreSQL, where every test database is a schema of its own,
// created for it and dropped with it, so tests stay isolated and run in parallel. Tests that
// only make sense on one database say so where they choose by `onPostgres`.

/** postgres://… of a database the tests may create schemas in; unset: SQLite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const onPostgres = TEST_DATABASE_URL !== undefined;
export const testDialect: 'sqlite' | 'pg' = onPostgres ? 'pg' : 'sqlite';

type PgDatabase = Extract<DatabaseConfig, { client: 'pg' }>;

/** Options for a PostgreSQL test database (ignored on SQLite). */
export interface TestDbOptions {
  /** Connect through another address (a proxy the test can cut) instead of TEST_DATABASE_URL. */
  url?: string;
  statementTimeoutMs?: number;
  poolMax?: number;
}

const newSchemaName = () => `gid_test_${process.pid}_${crypto.randomBytes(5).toString('hex')}`;

/** Runs one statement on a connection of its own (schemas are made and dropped this way). */
async function runAlone(sql: string, bindings: readonly Knex.RawBinding[]): Promise<void> {
  const one = knex({ client: 'pg', connection: TEST_DATABASE_URL, pool: { min: 0, max: 1 } });
  try {
    await one.raw(sql, bindings);
  } finally {
    await one.destroy();
  }
}

export const createSchema = (schema: string) => runAlone('CREATE SCHEMA ??', [schema]);
export const dropSchema = (schema: string) => runAlone('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]);

/**
 * A fresh, empty database: SQLite in memory, or a new PostgreSQL schema. destroy() closes it
 * and, on PostgreSQL, drops the schema with everything in it (a second destroy() is harmless).
 */
export async function createEmptyDb(options: TestDbOptions = {}): Promise<Knex> {
  if (!onPostgres) return createDb({ client: 'sqlite', filename: ':memory:' });
  const schema = newSchemaName();
  await createSchema(schema);
  const database: PgDatabase = {
    client: 'pg',
    url: options.url ?? TEST_DATABASE_URL!,
    poolMax: options.poolMax ?? 4,
    statementTimeoutMs: options.statementTimeoutMs ?? 5000,
    searchPath: schema,
  };
  const db = createDb(database);
  const destroy = db.destroy.bind(db);
  let dropped: Promise<void> | undefined;
  // Knex defines destroy() as a configurable, read-only property.
  Object.defineProperty(db, 'destroy', {
    configurable: true,
    value: () =>
      (dropped ??= (async () => {
        await destroy();
        await dropSchema(schema);
      })()),
  });
  return db;
}

/** A fresh database with every migration run. */
export async function createMigratedDb(options: TestDbOptions = {}): Promise<Knex> {
  const db = await createEmptyDb(options);
  await migrateToLatest(db);
  return db;
}

/**
 * For a server started as a child process: on PostgreSQL, DATABASE_URL for a fresh schema of
 * its own (named in the URL's options, so the server needs no test-only setting), and drop()
 * to remove it afterwards. On SQLite nothing: the server uses the SQLite file in its DATA_DIR.
 */
export async function serverDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  if (!onPostgres) return { env: {}, drop: async () => {} };
  const schema = newSchemaName();
  await createSchema(schema);
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { env: { DATABASE_URL: url.toString() }, drop: () => dropSchema(schema) };
}
