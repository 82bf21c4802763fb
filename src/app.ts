import ejs from 'ejs';
import express, { type Express } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import { createAssets } from './assets';
import type { Config } from './config';
import { BODY_LIMIT } from './limits';
import type { Logger } from './logger';
import { csrfProtection, csrfToken } from './middleware/csrf';
import { currentUser } from './middleware/current-user';
import { pageNotFound, renderError } from './middleware/errors';
import { flashMessages } from './middleware/flash';
import { importUpload } from './middleware/import-upload';
import { loginThrottle } from './middleware/login-throttle';
import { requestLog } from './middleware/request-log';
import { noStore, securityHeaders } from './middleware/security';
import { sessions } from './middleware/sessions';
import { createPasswords, type Passwords } from './passwords';
import { publicDir, viewsDir } from './paths';
import { accountRouter } from './routes/account';
import { authRouter } from './routes/auth';
import { healthRouter } from './routes/health';
import { tasksRouter } from './routes/tasks';

export interface AppDeps {
  config: Config;
  db: Knex;
  sessionStore: session.Store;
  sessionSecret: string;
  logger: Logger;
  passwords?: Passwords;
  /** True while the server shuts down: health checks fail so balancers stop sending traffic. */
  isDraining?: () => boolean;
}

/** Builds the app from its dependencies. Opens nothing, listens nowhere, reads no environment. */
export function createApp(deps: AppDeps): Express {
  const { config, db, logger } = deps;
  const passwords = deps.passwords ?? createPasswords(config.bcryptRounds);
  const app = express();

  app.disable('x-powered-by');
  // Behind a TLS proxy, req.secure (and so the Secure session cookie) comes from X-Forwarded-Proto.
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  const viewCache = config.env !== 'development';
  app.set('view cache', viewCache);
  // EJS 7 no longer reads Express's 'view options', so its options are given here. rmWhitespace
  // drops the indentation (no view has <pre> or <textarea>); root makes include('/partials/…')
  // resolve without a filesystem check.
  app.engine('ejs', (file, locals, callback) =>
    ejs.renderFile(file, locals, { cache: viewCache, rmWhitespace: true, root: viewsDir }, callback),
  );
  app.set('etag', false); // pages are no-store and per user: hashing each one for an ETag buys nothing

  app.use(requestLog(logger, (req) => req.path === '/healthz'));
  app.use(securityHeaders(config)); // before static: every response carries the CSP
  const assets = createAssets(publicDir, config.env === 'production');
  app.locals.asset = assets.url; // views link /css/app.css?v=<fingerprint>, cached for a year
  // Only paths that name a file (css/app.css, favicon.svg) can be assets: pages skip the fs.stat
  // that static would otherwise run on libuv's thread pool (shared with bcrypt and the session store).
  app.use((req, res, next) => (/\.\w+$/.test(req.path) ? assets.serve(req, res, next) : next()));
  app.use(healthRouter({ db, isDraining: deps.isDraining ?? (() => false) })); // no session needed
  app.use(noStore);
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }));
  app.use(sessions(config, deps.sessionStore, deps.sessionSecret));
  app.post('/account/import', importUpload); // multipart: parsed (capped) so CSRF can read its _csrf field
  app.use(csrfProtection); // after the session that holds the token, before any route
  app.use(csrfToken, flashMessages, currentUser(db));
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    next();
  });

  app.use(loginThrottle(config.throttle)); // watches POST /login and /register before they run
  app.use(authRouter({ db, passwords }));
  app.use(accountRouter({ db, passwords, sessionStore: deps.sessionStore, throttle: config.throttle }));
  app.use(tasksRouter({ db }));

  app.use(pageNotFound); // last normal middleware
  app.use(renderError(logger)); // four arguments: Express treats it as the error handler
  return app;
}
