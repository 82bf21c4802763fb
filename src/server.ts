import http from 'node:http';
import { createApp } from './app';
import { installBenchProbe } from './bench-probe';
import { ConfigError, loadConfig } from './config';
import { createDb, migrateToLatest } from './db';
import { createLogger } from './logger';
import { resolveSessionSecret } from './session-secret';
import { createSqliteSessionStore } from './session-store';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  installBenchProbe();
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
  const server = http.createServer(app);
  // While draining, every response closes its connection, so keep-alive clients let go.
  server.on('request', (_req, res) => {
    if (draining) res.setHeader('Connection', 'close');
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
    // Node only closes the sockets that are idle at close(); keep closing the ones that go idle later.
    const idleCloser = setInterval(() => server.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    clearInterval(idleCloser);
    await db.destroy();
    await sessionStore.close();
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
