import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import { textField } from '../forms/parse-form';
import { normaliseEmail } from '../models/users';
import { EMAIL_MAX } from '../limits';
import { authMessages } from '../messages/auth';
import { tooMany, type AttemptCounter, type AttemptCounters } from './attempt-counter';
import { logSecurityEvent } from './audit';

type ThrottleConfig = Config['throttle'];
type Message = (when: string, minutes: number) => string;

export interface LoginThrottle {
  /**
   * The first step of POST /login: an address or an email over its limit gets a 429; any other
   * attempt is counted as it starts (per address and per email), so parallel guesses cannot
   * slip past the limit while bcrypt is busy. Every attempt stays counted as a failure unless
   * the handler calls recordSuccess.
   */
  check: RequestHandler[];
  /** The login succeeded: it takes its attempt back from the address and clears the email's failures. */
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
    const blockedUntil = await byEmail.attempt(email, config.loginFailuresPerEmail);
    if (blockedUntil !== undefined) {
      logSecurityEvent(req, 'auth.throttled', { path: req.path, limit: 'email' });
      return next(tooMany(blockedUntil, authMessages.tooManyLogins));
    }
    next();
  }

  return {
    check: [byAddress, checkEmail],
    async recordSuccess(req) {
      const email = loginEmail(req);
      if (email !== undefined) await byEmail.resetKey(email);
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
