import fs from 'node:fs';
import http from 'node:http';
import express from 'express';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { requestLog } from '../../src/http/request-log';
import { noStore, securityHeaders } from '../../src/http/security-headers';
import { sessions } from '../../src/sessions/middleware';
import { createSqliteSessionStore } from '../../src/sessions/store';

// The ceiling and the framework's floor: every request answered with the exact bytes of the W1
// page by
//   http     bare node:http (the ceiling);
//   express  Express 5 and nothing else;
//   session  Express 5 with the app's own middleware up to the session: request logging,
//            security headers, no-store, the body parser and express-session reading the W1
//            user's session from the same SQLite store (DATA_DIR and SESSION_SECRET as the app's).
// What W1 costs beyond `session` is ours: the queries, the CSRF and flash steps, the render.
// Usage: node ceiling.js <body-file> [http|express|session]; prints {"port":N} once listening.
const MODES = ['http', 'express', 'session'] as const;
type Mode = (typeof MODES)[number];

const body = fs.readFileSync(process.argv[2]!);
const mode = MODES.find((m) => m === process.argv[3]) ?? 'http';

async function handler(which: Mode): Promise<http.RequestListener> {
  if (which === 'http') {
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      res.end(body);
    };
  }
  const app = express();
  app.set('etag', false);
  if (which === 'session') {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    app.set('trust proxy', config.trustProxy);
    app.use(requestLog(logger, () => false));
    app.use(securityHeaders(config));
    app.use(noStore);
    app.use(express.urlencoded({ extended: false }));
    const store = await createSqliteSessionStore(config.dataDir, logger);
    app.use(sessions(config, store, process.env.SESSION_SECRET!));
  }
  app.get('/', (_req, res) => {
    res.type('html').send(body);
  });
  return app;
}

async function main(): Promise<void> {
  const server = http.createServer(await handler(mode));
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(
      `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`,
    );
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
