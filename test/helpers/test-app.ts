import { afterEach, beforeEach } from 'vitest';
import session from 'express-session';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createPasswords } from '../../src/auth/passwords';
import { createMigratedDb, type TestDbOptions } from './test-database';

export { createMigratedDb };

export interface TestApp {
  app: Express;
  db: Knex;
  config: Config;
  sessionStore: session.Store;
  close(): Promise<void>;
}

/**
 * A fresh app on its own migrated database (SQLite in memory, or a PostgreSQL schema of its own
 * under npm run test:pg: see test-database.ts), with cheap bcrypt and a memory session store.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  database: TestDbOptions = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', LOG_LEVEL: 'silent', ...env });
  const db = await createMigratedDb(database);
  const sessionStore = new session.MemoryStore();
  const app = createApp({
    config,
    db,
    logger: createLogger(config.logLevel),
    sessionStore,
    sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
    passwords: createPasswords(config.bcryptRounds),
  });
  return { app, db, config, sessionStore, close: () => db.destroy() };
}

/** Gives each test in the file its own fresh app and database, closed after the test. */
export function useTestApp(env: Record<string, string> = {}, database: TestDbOptions = {}): TestApp {
  const current = {} as TestApp;
  beforeEach(async () => {
    Object.assign(current, await buildTestApp(env, database));
  });
  afterEach(async () => {
    await current.close();
  });
  return current;
}

/** Gives each test in the file its own fresh, migrated database, destroyed after the test. */
export function useMigratedDb(): { db: Knex } {
  const current = {} as { db: Knex };
  beforeEach(async () => {
    current.db = await createMigratedDb();
  });
  afterEach(async () => {
    await current.db.destroy();
  });
  return current;
}
