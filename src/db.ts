import fs from 'node:fs';
import knex, { type Knex } from 'knex';
import { databaseFile, knexConfig } from '../knexfile';

/** Opens the app's database: a file in dataDir, or ':memory:' for tests. Starts nothing else. */
export function createDb(location: { dataDir: string } | ':memory:'): Knex {
  if (location === ':memory:') return knex(knexConfig(':memory:'));
  fs.mkdirSync(location.dataDir, { recursive: true });
  return knex(knexConfig(databaseFile(location.dataDir)));
}

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest();
}

/** True for the errors that mean "the database is busy or unavailable", not "our bug". */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|CANTOPEN|FULL)/.test(code))
    return true;
  return err.name === 'KnexTimeoutError';
}
