import crypto from 'node:crypto';
import knex, { type Knex } from 'knex';
import { afterAll } from 'vitest';
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

/** Connects to a schema; `release` decides what destroy() does with the schema afterwards. */
function openSchema(schema: string, options: TestDbOptions, release: (db: Knex) => Promise<boolean>): Knex {
  const database: PgDatabase = {
    client: 'pg',
    url: options.url ?? TEST_DATABASE_URL!,
    poolMax: options.poolMax ?? 4,
    statementTimeoutMs: options.statementTimeoutMs ?? 5000,
    searchPath: schema,
  };
  const db = createDb(database);
  const destroy = db.destroy.bind(db);
  let closed: Promise<void> | undefined;
  // Knex defines destroy() as a configurable, read-only property.
  Object.defineProperty(db, 'destroy', {
    configurable: true,
    value: () =>
      (closed ??= (async () => {
        const kept = await release(db).catch(() => false);
        await destroy();
        if (kept) cleanSchemas.push(schema);
        else await dropSchema(schema);
      })()),
  });
  return db;
}

/**
 * A fresh, empty database: SQLite in memory, or a new PostgreSQL schema. destroy() closes it
 * and, on PostgreSQL, drops the schema with everything in it (a second destroy() is harmless).
 */
export async function createEmptyDb(options: TestDbOptions = {}): Promise<Knex> {
  if (!onPostgres) return createDb({ client: 'sqlite', filename: ':memory:' });
  const schema = newSchemaName();
  await createSchema(schema);
  return openSchema(schema, options, async () => false);
}

// Migrating a new PostgreSQL schema costs a few hundred milliseconds, most of a test's time. So a
// migrated schema that a test leaves as it found it (the same tables, indexes and migrations) is
// emptied (TRUNCATE … RESTART IDENTITY: no rows, ids from 1 again) and handed to the next test of
// the file; any other is dropped. What is left at the end of the file is dropped too.
const cleanSchemas: string[] = [];
let migratedShape: string | undefined;
if (onPostgres) {
  afterAll(async () => {
    for (const schema of cleanSchemas.splice(0)) await dropSchema(schema);
  });
}

/** The schema's tables, indexes and migrations, as one string to compare. */
async function shapeOf(db: Knex): Promise<string> {
  const { rows } = (await db.raw(
    `SELECT string_agg(item, ',' ORDER BY item) AS shape FROM (
       SELECT 'table:' || tablename AS item FROM pg_tables WHERE schemaname = current_schema()
       UNION ALL SELECT 'index:' || indexname FROM pg_indexes WHERE schemaname = current_schema()
       UNION ALL SELECT 'migration:' || name FROM knex_migrations
     ) AS items`,
  )) as { rows: { shape: string }[] };
  return rows[0]!.shape;
}

/** Empties a schema the test left in its migrated shape; false when the shape changed. */
async function emptyForReuse(db: Knex): Promise<boolean> {
  if (migratedShape === undefined || (await shapeOf(db)) !== migratedShape) return false;
  const { rows } = (await db.raw(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'knex\\_%'",
  )) as { rows: { tablename: string }[] };
  const tables = rows.map((row) => row.tablename);
  await db.raw(`TRUNCATE ${tables.map(() => '??').join(', ')} RESTART IDENTITY CASCADE`, tables);
  return true;
}

/** A fresh database with every migration run (on PostgreSQL, a new or an emptied schema). */
export async function createMigratedDb(options: TestDbOptions = {}): Promise<Knex> {
  if (!onPostgres) {
    const db = createDb({ client: 'sqlite', filename: ':memory:' });
    await migrateToLatest(db);
    return db;
  }
  const reused = cleanSchemas.pop();
  if (reused) return openSchema(reused, options, emptyForReuse);
  const schema = newSchemaName();
  await createSchema(schema);
  const db = openSchema(schema, options, emptyForReuse);
  await migrateToLatest(db);
  migratedShape ??= await shapeOf(db);
  return db;
}

/**
 * For a server started as a child process: on PostgreSQL, DATABASE_URL for a fresh schema of
 * its own (named in the URL's options, so the server needs no test-only setting), and drop()
 * to remove it afterwards. On SQLite nothing: the server uses the SQLite file in its DATA_DIR.
 */
export async function serverDatabase(): Promise<{
  env: Record<string, string>;
  /** PostgreSQL: the schema's name (for a test that reads the tables itself). */
  schema?: string;
  drop(): Promise<void>;
}> {
  if (!onPostgres) return { env: {}, drop: async () => {} };
  const schema = newSchemaName();
  await createSchema(schema);
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { env: { DATABASE_URL: url.toString() }, schema, drop: () => dropSchema(schema) };
}
