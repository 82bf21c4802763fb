import fs from 'node:fs';
import { createApp } from '../app';
import type { Config } from '../config';
import { createDb, migrateToLatest } from '../db/knex';
import type { Logger } from '../logger';
import { createMailer } from '../mail/mailer';
import { resolveSessionSecret } from '../sessions/secret';
import { createSessionStore } from '../sessions/store';
import { GracefulServer } from './graceful-server';

/**
 * DATA_DIR holds password hashes, every task and the session secret: the folder is 0700 and
 * everything this process creates in it (the database and its WAL, the session store, outbox
 * mail) is 0600, whatever the shell's umask.
 */
function keepDataPrivate(dataDir: string): void {
  process.umask(0o077);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
}

/** A graceful stop gives up after this long: remaining connections are cut and the exit code is 1. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * The serving process: opens the database (migrated) and the session store, listens, and on
 * SIGTERM or SIGINT drains (in-flight requests finish, keep-alive clients let go), closes its
 * files and exits 0, or 1 past the deadline.
 */
export async function serve(config: Config, logger: Logger): Promise<void> {
  keepDataPrivate(config.dataDir);
  const db = createDb(config.database, logger);
  await migrateToLatest(db);
  const sessionStore = await createSessionStore(config, db, logger);
  const web = new GracefulServer({ instance: config.instanceName });
  const app = createApp({
    config,
    db,
    logger,
    sessionStore,
    sessionSecret: resolveSessionSecret(config),
    mailer: createMailer(config.mail, logger),
    isDraining: () => web.draining,
  });
  const port = await web.listen(app, config.port, config.host);
  logger.info(
    { port, host: config.host, env: config.env },
    `Get It Done! is listening on http://${config.host}:${port}`,
  );

  async function shutdown(signal: string): Promise<void> {
    if (web.draining) return;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      web.closeAllConnections();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await web.drain(() => logger.info('stopped accepting new connections'));
    // Every request has been answered; a failure to close a file now loses nothing.
    for (const [name, close] of [
      ['database', () => db.destroy()],
      ['session store', () => sessionStore.close()],
    ] as const) {
      await close().catch((err: unknown) => logger.error({ err }, `closing the ${name} failed`));
    }
    logger.info('shutdown complete');
    logger.flush();
    process.exit(0);
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
