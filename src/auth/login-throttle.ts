import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import { textField } from '../forms/parse-form';
import { normaliseEmail } from '../models/users';
import { EMAIL_MAX, LOGIN_SLOWDOWN_BASE_MS, LOGIN_SLOWDOWN_MAX_MS } from '../limits';
import { authMessages } from '../messages/auth';
import { tooMany, type AttemptCounter, type AttemptCounters } from './attempt-counter';
import { logSecurityEvent } from './audit';

type ThrottleConfig = Config['throttle'];
type Message = (when: string, minutes: number) => string;

export interface LoginThrottle {
  /**
   * The first step of POST /login. Three counts, each taken as the attempt starts (so parallel
   * guesses cannot slip past while bcrypt is busy), each a failure unless the handler calls
   * recordSuccess:
   * - per address, across emails: over LOGIN_MAX_FAILURES_PER_IP, a 429;
   * - per email from this address: over LOGIN_MAX_FAILURES_PER_EMAIL, a 429;
   * - per email from every address: over the same number, no 429 (the owner, from an address
   *   that has not been failing, must still get in) but a delay that doubles with every further
   *   attempt, so guessing one account from many addresses is slowed to a crawl.
   */
  check: RequestHandler[];
  /** The login succeeded: it takes its attempt back from the address, and clears the email's failures. */
  recordSuccess(req: Request): Promise<void>;
}

const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? '');

/** Per-address limiting with express-rate-limit (draft-7 RateLimit headers, our 429 page), counted in the database. */
function limitByAddress(config: ThrottleConfig, limit: number, message: Message, store: AttemptCounter) {
  return rateLimit({
    windowMs: config.windowMs,
    limit,
    keyGenerator: clientKey,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    store,
    handler(req: Request, _res: Response, next: NextFunction) {
      const resetAt = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      logSecurityEvent(req, 'auth.throttled', { path: req.path, limit: 'address' });
      next(tooMany(resetAt?.getTime() ?? Date.now() + config.windowMs, message));
    },
  });
}

/** The email a login names, as accounts store it, or undefined when no account can have it. */
function loginEmail(req: Request): string | undefined {
  const email = normaliseEmail(textField(req.body, 'email'));
  // Longer than any email can be: the login fails validation anyway (and the per-address limit
  // counts it), so such keys never take up a row.
  // A NUL cannot be in any account's email (PostgreSQL refuses it as text, so it is no key either).
  return email && email.length <= EMAIL_MAX && !email.includes('\u0000') ? email : undefined;
}

/** Failed logins per email and per address, counted in the database that every instance shares. */
export function createLoginThrottle(config: ThrottleConfig, counters: AttemptCounters): LoginThrottle {
  const byEmailHere = counters.counter('login-email-address:', config.windowMs);
  const byEmail = counters.counter('login-email:', config.windowMs);
  const addressCounts = counters.counter('login-address:', config.windowMs);
  const byAddress = limitByAddress(
    config,
    config.loginFailuresPerIp,
    authMessages.tooManyLogins,
    addressCounts,
  );

  async function checkEmail(req: Request, _res: Response, next: NextFunction) {
    const email = loginEmail(req);
    if (email === undefined) return next();
    const blockedUntil = await byEmailHere.attempt(
      `${email} ${clientKey(req)}`,
      config.loginFailuresPerEmail,
    );
    if (blockedUntil !== undefined) {
      logSecurityEvent(req, 'auth.throttled', { path: req.path, limit: 'email-address' });
      return next(tooMany(blockedUntil, authMessages.tooManyLogins));
    }
    const { totalHits } = await byEmail.increment(email);
    const excess = totalHits - config.loginFailuresPerEmail;
    if (excess > 0) {
      const delayMs = Math.min(LOGIN_SLOWDOWN_MAX_MS, LOGIN_SLOWDOWN_BASE_MS * 2 ** (excess - 1));
      logSecurityEvent(req, 'auth.throttled', { path: req.path, limit: 'email-slowdown', delayMs });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
    next();
  }

  return {
    check: [byAddress, checkEmail],
    async recordSuccess(req) {
      const email = loginEmail(req);
      if (email !== undefined) {
        await byEmailHere.resetKey(`${email} ${clientKey(req)}`);
        // The owner is in: the slowdown starts over (guessers get a few more tries, at the
        // owner's pace of logging in, which is the price of never locking the owner out).
        await byEmail.resetKey(email);
      }
      await addressCounts.decrement(clientKey(req));
    },
  };
}

/** Accounts created per address within the window, successful or not. */
export function registrationThrottle(config: ThrottleConfig, counters: AttemptCounters): RequestHandler {
  return limitByAddress(
    config,
    config.registrationsPerIp,
    authMessages.tooManyRegistrations,
    counters.counter('register-address:', config.windowMs),
  );
}
