import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';

// Synchronizer tokens kept in the session. Forms send the token in the hidden _csrf field
// (req.body is undefined for bodies no parser took, hence ?.); scripts send the header.
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  // 256 random bits. The library's default (128 bytes, 256 hex characters, of which the page
  // repeats one per form, three per task) made a third of the task list's bytes.
  size: 32,
  getTokenFromRequest: (req) => {
    const fromBody: unknown = req.body?._csrf;
    return typeof fromBody === 'string' ? fromBody : req.get('x-csrf-token');
  },
});

export const csrfProtection = csrfSynchronisedProtection;

/**
 * Pages get the token through a function that the form partial calls, so only a page that
 * renders a form puts a token (and so a session) in the store: a bot's 404s and redirects
 * create nothing. The token is made once per session and then reused.
 */
export function csrfToken(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = () => generateToken(req);
  next();
}
