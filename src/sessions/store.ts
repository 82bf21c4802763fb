import type { Knex } from 'knex';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { createPgSessionStore } from './pg-store';
import { createSqliteSessionStore } from './sqlite-store';
import type { ClosableStore } from './store-contract';

export { createSqliteSessionStore };
export { TOUCH_INTERVAL_MS, type ClosableStore } from './store-contract';

/**
 * The session store for the configured database: on PostgreSQL, a table in the app's database
 * (shared by every process and instance); on SQLite, connect-sqlite3 on its own file in DATA_DIR.
 */
export function createSessionStore(config: Config, db: Knex, logger: Logger): Promise<ClosableStore> {
  return config.database.client === 'pg'
    ? createPgSessionStore(db, logger)
    : createSqliteSessionStore(config.dataDir, logger);
}
