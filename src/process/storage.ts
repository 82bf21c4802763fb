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
  openDatabase(config: Config): Knex;
  openSessionStore(config: Config, logger: Logger): Promise<ClosableStore>;
}

/**
 * What must exist once, before any process serves: the schema at its latest migration, the
 * generated session secret (outside production) and the session store's table. Run by the
 * only process, or by the primary before it starts a worker, so workers never race to create them.
 */
export async function prepareStorage(config: Config, storage: Storage, logger: Logger): Promise<void> {
  const db = storage.openDatabase(config);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  resolveSessionSecret(config);
  const sessionStore = await storage.openSessionStore(config, logger);
  await sessionStore.close();
}
