import http from 'node:http';
import net from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createDb, migrateToLatest } from './db/knex';
import { createLogger } from './logger';
import { resolveSessionSecret } from './sessions/secret';
import { createSqliteSessionStore } from './sessions/store';

const SHUTDOWN_DEADLINE_MS = 10_000;
/** While draining, idle keep-alive sockets are closed once no request has moved for this long. */
const QUIET_BEFORE_CLOSING_IDLE_MS = 1_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const db = createDb({ dataDir: config.dataDir });
  await migrateToLatest(db);
  const sessionStore = await createSqliteSessionStore(config.dataDir, logger);

  let draining = false;
  const app = createApp({
    config,
    db,
    logger,
    sessionStore,
    sessionSecret: resolveSessionSecret(config),
    isDraining: () => draining,
  });
  // While draining, every response closes its connection, so keep-alive clients let go. The
  // header is set before the app sees the request: the app may answer at once (/healthz does
  // while draining), and setting a header after that throws ERR_HTTP_HEADERS_SENT.
  // lastActivity: when a request last started or finished, anywhere on this server.
  let lastActivity = Date.now();
  const server = http.createServer((req, res) => {
    lastActivity = Date.now();
    if (draining) res.setHeader('Connection', 'close');
    res.on('finish', () => (lastActivity = Date.now()));
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    { port, host: config.host, env: config.env },
    `Get It Done! is listening on http://${config.host}:${port}`,
  );

  async function shutdown(signal: string): Promise<void> {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      server.closeAllConnections();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // Stop accepting connections, but not with server.close(): on Node >= 19 that also destroys
    // every keep-alive socket that looks idle at this instant, including sockets whose next
    // request already sits unread in the kernel (a busy event loop has not read it yet), and
    // that client gets a reset instead of an answer. Instead every response now carries
    // Connection: close, and idle sockets are closed only once the server has been quiet (no
    // request started or finished) for a moment: by then no client is in the middle of one.
    const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
    const idleCloser = setInterval(() => {
      if (Date.now() - lastActivity >= QUIET_BEFORE_CLOSING_IDLE_MS) server.closeIdleConnections();
    }, 100);
    await closed;
    clearInterval(idleCloser);
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

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`Get It Done! cannot start: ${err.message}`);
  } else {
    console.error('Get It Done! failed to start:', err);
  }
  process.exit(1);
});
