import type { NextFunction, Request, Response } from 'express';
import { errorPageMessages } from '../messages/errors';
import { isSafeMethod } from './csrf';
import { HttpError } from './http-error';

/** True when a browser tells us the request comes from another site (Fetch Metadata, else Origin). */
function isCrossSite(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  // 'none' is the user's own doing (a bookmark, the address bar); same-site is a sibling host,
  // which can be an attacker's subdomain, so only same-origin passes.
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('origin');
  if (!origin) return false; // not a browser, or an old one: the CSRF token still decides
  if (origin === 'null') return true; // sandboxed frames and data: URLs
  try {
    return new URL(origin).host !== req.host;
  } catch {
    return true;
  }
}

/**
 * Defence in depth behind the CSRF token: a state-changing request that the browser says
 * comes from another site is refused with 403 before any route sees it.
 */
export function refuseCrossSitePosts(req: Request, _res: Response, next: NextFunction): void {
  if (isSafeMethod(req) || !isCrossSite(req)) return next();
  next(new HttpError(403, errorPageMessages[403]!.text));
}
