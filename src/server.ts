import cluster from 'node:cluster';
import { loadConfig } from './config';
import { createDb } from './db/knex';
import { createLogger } from './logger';
import { runPrimary } from './process/primary';
import { serve, serveAsWorker } from './process/serve';
import { startupFailureLine } from './process/startup-error';
import type { Storage } from './process/storage';
import { keepDataPrivate, prepareStorage } from './process/storage';
import { createSessionStore } from './sessions/store';

// The process entry. WEB_CONCURRENCY=1 (the default): this process prepares the storage and
// serves. More: it prepares the storage once, then runs as the cluster primary that starts,
// replaces and stops that many workers (this same file, with cluster.isWorker set).

/** The database and the session store, as every serving process opens them. */
const storage: Storage = {
  openDatabase: (config, logger) => createDb(config.database, logger),
  openSessionStore: (config, db, logger) => createSessionStore(config, db, logger),
};

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  keepDataPrivate(config.dataDir);
  if (cluster.isWorker) return serveAsWorker(config, storage, logger);
  await prepareStorage(config, storage, logger);
  if (config.webConcurrency === 1) return serve(config, storage, logger);
  runPrimary(config, logger);
}

main().catch((err: unknown) => {
  console.error(startupFailureLine(err));
  process.exit(1);
});
