import cluster from 'node:cluster';
import { createApp } from '../app';
import type { Config } from '../config';
import { BackgroundWork } from '../http/background-work';
import type { Logger } from '../logger';
import { createMailer } from '../mail/mailer';
import { resolveSessionSecret } from '../sessions/secret';
import { GracefulServer } from './graceful-server';
import { isPrimaryMessage, type WorkerMessage } from './messages';
import { StartupError, startupFailureLine } from './startup-error';
import type { Storage } from './storage';

/** A graceful stop gives up after this long: remaining connections are cut and the exit code is 1. */
export const SHUTDOWN_DEADLINE_MS = 10_000;

/** A cluster worker's side of the conversation with the primary. */
interface WorkerRole {
  id: number;
  /** Tells the primary this worker is ready, on that port. */
  listening(port: number): void;
  /** Tells the primary this worker no longer accepts; resolves once no worker does. */
  listenerClosed(): Promise<void>;
}

/**
 * One serving process: opens its own database and session store connections, listens, and on
 * SIGTERM or SIGINT drains (in-flight requests finish, keep-alive clients let go), closes its
 * files and exits 0, or 1 past the deadline. The storage must already be prepared.
 */
export async function serve(
  config: Config,
  storage: Storage,
  logger: Logger,
  worker?: WorkerRole,
): Promise<void> {
  const db = storage.openDatabase(config, logger);
  const sessionStore = await storage.openSessionStore(config, db, logger);
  const instance =
    config.instanceName && (worker ? `${config.instanceName}/${worker.id}` : config.instanceName);
  const web = new GracefulServer({ instance });
  // Reset emails are sent after their response: a stop waits for them (within the deadline).
  const background = new BackgroundWork(logger);
  const app = createApp({
    config,
    db,
    logger,
    sessionStore,
    sessionSecret: resolveSessionSecret(config),
    mailer: createMailer(config.mail, logger),
    background,
    isDraining: () => web.draining,
  });
  const port = await web.listen(app, config.port, config.host);
  if (worker) {
    logger.info(`worker ${worker.id} is ready`);
    worker.listening(port); // the primary says where, once every worker is ready
  } else {
    logger.info(
      { port, host: config.host, env: config.env },
      `Get It Done! is listening on http://${config.host}:${port}`,
    );
  }

  async function shutdown(signal: string): Promise<void> {
    if (web.draining) return;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      web.closeAllConnections();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    await web.drain(async () => {
      // In a worker, the socket stays open while another worker (or the primary) holds it.
      if (worker) return worker.listenerClosed();
      logger.info('stopped accepting new connections');
    });
    // Every request has been answered; the emails they started are still on their way (an
    // SMTP send gives up on its own timeouts, and the deadline above bounds the wait anyway).
    await background.settled();
    // Every email has been handed over; a failure to close a file now loses nothing.
    for (const [name, close] of [
      ['database', () => db.destroy()],
      ['session store', () => sessionStore.close()],
    ] as const) {
      await close().catch((err: unknown) => logger.error({ err }, `closing the ${name} failed`));
    }
    logger.info(worker ? `worker ${worker.id} stopped` : 'shutdown complete');
    logger.flush();
    process.exit(0);
  }
  // In a worker too: a terminal's Ctrl-C, or a supervisor signalling the whole process group,
  // reaches every worker as well as the primary. Each drains once, whoever asked first.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/**
 * A cluster worker: serves like the single process, on the socket the primary shares. A failure
 * to start is reported to the primary (which prints it once for all workers), then the worker exits 1.
 */
export async function serveAsWorker(config: Config, storage: Storage, logger: Logger): Promise<void> {
  const id = cluster.worker!.id;
  const tell = (message: WorkerMessage, then?: () => void) => process.send!(message, undefined, {}, then);
  const listenerClosed = new Promise<void>((resolve) =>
    process.on('message', (message: unknown) => {
      if (isPrimaryMessage(message)) resolve();
    }),
  );
  const role: WorkerRole = {
    id,
    listening: (port) => tell({ type: 'listening', port }),
    listenerClosed: () => {
      tell({ type: 'stopped-accepting' });
      return listenerClosed;
    },
  };
  try {
    await serve(config, storage, logger.child({ worker: id }), role);
  } catch (err) {
    const reason = err instanceof StartupError ? err.message : undefined;
    if (!reason) console.error(startupFailureLine(err)); // no sentence for it: the details are needed
    tell({ type: 'startup-failed', reason }, () => process.exit(1));
  }
}
