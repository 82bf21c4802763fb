import { afterEach, beforeEach } from 'vitest';
import session from 'express-session';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from '../../src/app';
import { BackgroundWork } from '../../src/http/background-work';
import type { Mailer } from '../../src/mail/mailer';
import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { createPasswords } from '../../src/auth/passwords';
import { createMigratedDb, type TestDbOptions } from './test-database';

export { createMigratedDb };

export interface TestApp {
  app: Express;
  db: Knex;
  config: Config;
  sessionStore: session.Store;
  /** What the app does after answering (reset emails): `await t.background.settled()`. */
  background: BackgroundWork;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Built from the test's config, e.g. `(config, logger) => createMailer(config.mail, logger)`. */
  mailer?: (config: Config, logger: Logger) => Mailer;
  logger?: Logger;
  /** Where the database lives (see test-database.ts): a cuttable proxy, a short statement timeout. */
  database?: TestDbOptions;
  /** The time now, which decides what "today" is for due dates. */
  clock?: () => Date;
}

/**
 * A fresh app on its own migrated database (SQLite in memory, or a PostgreSQL schema of its own
 * under npm run test:pg: see test-database.ts), with cheap bcrypt and a memory session store.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', LOG_LEVEL: 'silent', ...env });
  const db = await createMigratedDb(options.database);
  const sessionStore = new session.MemoryStore();
  const logger = options.logger ?? createLogger(config.logLevel);
  const background = new BackgroundWork(logger);
  const app = createApp({
    config,
    db,
    logger,
    sessionStore,
    sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
    passwords: createPasswords(config.bcryptRounds, { pepper: config.passwordPepper }),
    mailer: options.mailer?.(config, logger),
    background,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { app, db, config, sessionStore, background, close: () => db.destroy() };
}

/** Gives each test in the file its own fresh app and database, closed after the test. */
export function useTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): TestApp {
  const current = {} as TestApp;
  beforeEach(async () => {
    Object.assign(current, await buildTestApp(env, options));
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
