import crypto from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Config } from '../config';
import { cookieName, cookieOptions, createSigner, readCookie, sameToken } from './cookies';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** GET, HEAD and OPTIONS change nothing (no route of ours makes them), so they need no token. */
export const isSafeMethod = (req: Request) => SAFE_METHODS.has(req.method);
/** How long the login and registration forms' token lives in its cookie. */
const ANONYMOUS_TOKEN_MS = 12 * 60 * 60 * 1000;

/** Forms send the token in the hidden _csrf field (req.body is undefined for bodies no parser took); scripts send the header. */
function tokenFromRequest(req: Request): string | undefined {
  const fromBody: unknown = req.body?._csrf;
  return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
}

const isSignedIn = (req: Request) => req.session?.userId !== undefined;

export interface Csrf {
  /** Makes `csrfToken()` available to views (called only by pages that render a form). */
  token: RequestHandler;
  /** Refuses a state-changing request without the right token (403). */
  protect: RequestHandler;
}

/**
 * Two kinds of token, so that nobody anonymous costs a stored session:
 * - a signed-in session keeps a synchronizer token in the session (csrf-sync), made once;
 * - the forms a visitor uses before logging in (log in, register, forgot password) get a
 *   signed double-submit token instead: a random value signed with the app's secret, in an
 *   HttpOnly cookie and in the form, and a post must bring both, equal, and signed by us. A
 *   cross-site page can neither read the cookie nor make a value we signed.
 * Logging in regenerates the session, so the anonymous token is never a signed-in one.
 */
export function createCsrf(config: Config, secret: string): Csrf {
  const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
    // 256 random bits. The library's default (128 bytes, 256 hex characters, of which the page
    // repeats one per form, three per task) made a third of the task list's bytes.
    size: 32,
    getTokenFromRequest: tokenFromRequest,
  });
  const signer = createSigner(secret, 'csrf');
  const name = cookieName(config, 'csrf');
  const options = cookieOptions(config, ANONYMOUS_TOKEN_MS);

  function anonymousToken(req: Request, res: Response): string {
    const existing = readCookie(req, name);
    if (existing !== undefined && signer.unsign(existing) !== undefined) return existing;
    const token = signer.sign(crypto.randomBytes(32).toString('base64url'));
    res.cookie(name, token, options);
    return token;
  }

  return {
    token(req, res, next) {
      let anonymous: string | undefined;
      res.locals.csrfToken = () =>
        isSignedIn(req) ? generateToken(req) : (anonymous ??= anonymousToken(req, res));
      next();
    },
    protect(req: Request, res: Response, next: NextFunction) {
      if (isSignedIn(req)) return csrfSynchronisedProtection(req, res, next);
      if (isSafeMethod(req)) return next();
      const sent = tokenFromRequest(req);
      const kept = readCookie(req, name);
      const valid =
        sent !== undefined &&
        kept !== undefined &&
        sameToken(sent, kept) &&
        signer.unsign(kept) !== undefined;
      next(valid ? undefined : invalidCsrfTokenError);
    },
  };
}
