import type { Request } from 'express';

/**
 * True when the enhancing script (Accept: application/json) asked, rather than a browser's form
 * post or page load. One definition, so every route, guard and error page answers alike.
 */
export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}
