import express, { type Express } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import { createAttemptCounters } from './auth/attempt-counter';
import { currentUser } from './auth/current-user';
import { createLoginThrottle, registrationThrottle } from './auth/login-throttle';
import { createPasswords, type Passwords } from './auth/passwords';
import { createResetRequestLimit } from './auth/reset-request-limit';
import type { Config } from './config';
import { createAssets } from './http/assets';
import { BackgroundWork } from './http/background-work';
import { cookieOptions } from './http/cookies';
import { createCsrf } from './http/csrf';
import { pageNotFound, renderError } from './http/error-pages';
import { flashMessages, notices } from './http/flash';
import { requestLog } from './http/request-log';
import { takeTurns } from './http/turns';
import { refuseCrossSitePosts } from './http/same-origin';
import { noStore, permissionsPolicy, securityHeaders } from './http/security-headers';
import { BODY_LIMIT } from './limits';
import type { Logger } from './logger';
import { noMailer, type Mailer } from './mail/mailer';
import { publicDir, viewsDir } from './paths';
import { ejsEngine } from './http/views';
import { accountRouter } from './routes/account';
import { accountFilesRouter } from './routes/account-files';
import { accountSessionsRouter } from './routes/account-sessions';
import { authRouter } from './routes/auth';
import { healthRouter } from './routes/health';
import { passwordResetRouter } from './routes/password-reset';
import { tasksRouter } from './routes/tasks';
import { refreshLastSeen } from './sessions/last-seen';
import { sessionCookieName, sessions } from './sessions/middleware';

export interface AppDeps {
  config: Config;
  db: Knex;
  sessionStore: session.Store;
  sessionSecret: string;
  logger: Logger;
  passwords?: Passwords;
  /** Outgoing mail (server.ts builds it from config). Without one, the app offers no password reset. */
  mailer?: Mailer;
  /** Work that runs after a response (reset emails); tests wait on its settled(). */
  background?: BackgroundWork;
  /** True while the server shuts down: health checks fail so balancers stop sending traffic. */
  isDraining?: () => boolean;
  /** The time now, which decides what "today" is for due dates; tests fix it. */
  clock?: () => Date;
}

/** Builds the app from its dependencies. Opens nothing, listens nowhere, reads no environment. */
export function createApp(deps: AppDeps): Express {
  const { config, db, logger, sessionStore } = deps;
  const passwords = deps.passwords ?? createPasswords(config.bcryptRounds, { pepper: config.passwordPepper });
  const background = deps.background ?? new BackgroundWork(logger);
  // The limits' counters live in the database, shared by every process and instance.
  const counters = createAttemptCounters(db, logger);
  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS proxy, req.secure (and so the Secure session cookie) comes from X-Forwarded-Proto.
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  const viewCache = config.env !== 'development';
  app.set('view cache', viewCache);
  app.engine('ejs', ejsEngine(viewsDir, viewCache));
  app.set('etag', false); // pages are no-store and per user: hashing each one for an ETag buys nothing

  app.use(requestLog(logger, (req) => req.path === '/healthz'));
  app.use(securityHeaders(config), permissionsPolicy); // before static: every response carries them
  const assets = createAssets(publicDir, config.env === 'production');
  app.locals.asset = assets.url; // views link /css/app.css?v=<fingerprint>, cached for a year
  // Only paths that name a file (css/app.css, favicon.svg) can be assets: pages skip the fs.stat
  // that static would otherwise run on libuv's thread pool (shared with bcrypt and the session store).
  app.use((req, res, next) => (/\.\w+$/.test(req.path) ? assets.serve(req, res, next) : next()));
  app.use(healthRouter({ db, isDraining: deps.isDraining ?? (() => false) })); // no session needed
  app.use(noStore);
  app.use(refuseCrossSitePosts); // before any body is read: the browser says where a post comes from
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 50 }));
  app.use(sessions(config, sessionStore, deps.sessionSecret));
  const requestTurns = takeTurns();
  app.use(requestTurns); // from here on, one request starts its own work per turn of the event loop
  // What the account page's list of sessions leaves out (routes/account-sessions.ts).
  app.set('session lifetime ms', config.sessionAbsoluteMs);
  // What signing out expires (sessions/lifecycle.ts endSession).
  app.set('session cookie', { name: sessionCookieName(config), options: cookieOptions(config) });
  const csrf = createCsrf(config, deps.sessionSecret);
  app.use(currentUser(db, config.sessionAbsoluteMs), csrf.token, notices(config, deps.sessionSecret));
  const clock = deps.clock ?? (() => new Date());
  app.use((req, res, next) => {
    res.locals.currentPath = req.path;
    res.locals.now = clock();
    next();
  });
  // The one multipart form (the import) reads its upload and checks the token on its own row.
  app.use(
    accountFilesRouter({
      db,
      verifyCsrf: csrf.protect,
      maxTasksPerUser: config.maxTasksPerUser,
      counters,
      pagesWaiting: requestTurns.waiting,
    }),
  );
  app.use(csrf.protect); // every other POST: after the session that holds the token
  app.use(refreshLastSeen); // the account page's "last seen": at most one session write an hour
  app.use(flashMessages);
  app.use(
    authRouter({
      db,
      passwords,
      loginThrottle: createLoginThrottle(config.throttle, counters),
      registrationThrottle: registrationThrottle(config.throttle, counters),
    }),
  );
  app.use(
    passwordResetRouter({
      db,
      passwords,
      sessionStore,
      mailer: deps.mailer ?? noMailer,
      baseUrl: config.baseUrl,
      requestLimit: createResetRequestLimit(counters),
      background,
    }),
  );
  app.use(accountRouter({ db, passwords, sessionStore, throttle: config.throttle, counters }));
  app.use(accountSessionsRouter({ sessionStore }));
  app.use(tasksRouter({ db, maxTasksPerUser: config.maxTasksPerUser }));
  app.use(pageNotFound); // last normal middleware
  app.use(renderError(logger)); // four arguments: Express treats it as the error handler
  return app;
}
