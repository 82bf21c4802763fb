import fs from 'node:fs';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { migrateToLatest } from '../db/knex';
import type { Logger } from '../logger';
import { resolveSessionSecret } from '../sessions/secret';
import type { ClosableStore } from '../sessions/store';

/**
 * Where the data and the sessions live. Every serving process opens its own connections (a
 * worker shares nothing in memory with another), so what is chosen here must be safe to open
 * from several processes at once: SQLite in WAL mode, or a database server.
 */
export interface Storage {
  /** With the logger, so the driver's warnings go to the JSON log, not raw to stderr. */
  openDatabase(config: Config, logger: Logger): Knex;
  openSessionStore(config: Config, db: Knex, logger: Logger): Promise<ClosableStore>;
}

/**
 * What must exist once, before any process serves: the schema at its latest migration, the
 * generated session secret (outside production) and the session store's table. Run by the
 * only process, or by the primary before it starts a worker, so workers never race to create them.
 */
export async function prepareStorage(config: Config, storage: Storage, logger: Logger): Promise<void> {
  const db = storage.openDatabase(config, logger);
  try {
    await migrateToLatest(db);
    resolveSessionSecret(config);
    const sessionStore = await storage.openSessionStore(config, db, logger);
    await sessionStore.close();
  } finally {
    await db.destroy();
  }
}

/**
 * DATA_DIR holds password hashes, every task and the session secret: the folder is 0700 and
 * everything a process creates in it (the database and its WAL, the session store, outbox mail)
 * is 0600, whatever the shell's umask. Every process (primary and workers) sets it first.
 */
export function keepDataPrivate(dataDir: string): void {
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}
