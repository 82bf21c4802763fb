import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { accountMessages } from '../account-messages';
import type { Config } from '../config';
import { textField } from '../forms/parse-form';
import { HttpError } from '../http-error';
import { EMAIL_MAX } from '../limits';
import { normaliseEmail } from '../models/users';

type ThrottleConfig = Config['throttle'];

/** "15:04 UTC" and whole minutes until then (at least 1), for the 429 page. */
function whenAgain(resetAt: number, now = Date.now()) {
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  const when = `${new Date(resetAt).toISOString().slice(11, 16)} UTC`;
  return { seconds, when, minutes: Math.max(1, Math.ceil(seconds / 60)) };
}

export function tooMany(resetAt: number, message: (when: string, minutes: number) => string): HttpError {
  const { seconds, when, minutes } = whenAgain(resetAt);
  return new HttpError(429, message(when, minutes), { 'Retry-After': String(seconds) });
}

/**
 * Attempts per email within a fixed window, in this process's memory (a second process keeps
 * its own counts). An attempt counts when it starts, so a burst of parallel guesses cannot slip
 * past the limit while bcrypt is busy; a successful login clears the email's count.
 */
export class AttemptCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** When the key may try again, if it is over its limit now. */
  blockedUntil(key: string, now = Date.now()): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.resetAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.count >= this.max ? entry.resetAt : undefined;
  }

  hit(key: string, now = Date.now()): void {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt > now) {
      entry.count++;
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, { count: 1, resetAt: now + this.windowMs });
    if (this.entries.size > this.maxKeys) this.prune(now);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired keys; if a flood of distinct emails is still too many, the oldest go. */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}

/**
 * Throttles POST /login (per email and per IP address, failed attempts only) and POST /register
 * (per IP address). Runs before the auth routes and needs nothing from them: it watches the
 * response status (303 = success, 401 = failure). Every createApp() gets fresh counters.
 */
export function loginThrottle(config: ThrottleConfig): Router {
  const router = Router();
  const byEmail = new AttemptCounter(config.loginFailuresPerEmail, config.windowMs);

  const limitedBy =
    (message: (when: string, minutes: number) => string) =>
    (req: Request, _res: Response, next: NextFunction) => {
      const resetAt = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      req.log.warn({ event: 'auth.throttled', path: req.path }, 'too many attempts from one address');
      next(tooMany(resetAt?.getTime() ?? Date.now() + config.windowMs, message));
    };

  const loginByIp = rateLimit({
    windowMs: config.windowMs,
    limit: config.loginFailuresPerIp,
    skipSuccessfulRequests: true, // a 303 is a successful login; 401 and 429 count
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: limitedBy(accountMessages.tooManyLogins),
  });

  const registerByIp = rateLimit({
    windowMs: config.windowMs,
    limit: config.registrationsPerIp,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: limitedBy(accountMessages.tooManyRegistrations),
  });

  function loginByEmail(req: Request, res: Response, next: NextFunction) {
    const email = normaliseEmail(textField(req.body, 'email'));
    // Longer than any email can be: the login fails validation anyway (and the per-IP limit
    // counts it), so such keys never take up memory here.
    if (!email || email.length > EMAIL_MAX) return next();
    const blockedUntil = byEmail.blockedUntil(email);
    if (blockedUntil !== undefined) {
      req.log.warn({ event: 'auth.throttled' }, 'too many failed logins for one account');
      return next(tooMany(blockedUntil, accountMessages.tooManyLogins));
    }
    byEmail.hit(email);
    res.on('finish', () => {
      if (res.statusCode < 400) byEmail.reset(email);
    });
    next();
  }

  router.post('/login', loginByIp, loginByEmail);
  router.post('/register', registerByIp);
  return router;
}
