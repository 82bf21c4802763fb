import type { NextFunction, Request, Response } from 'express';
import { deviceName } from './device-name';
import { TOUCH_INTERVAL_MS } from './store-contract';

/**
 * "Last seen" on the account page is kept to within this long: a signed-in session is
 * rewritten at most this often for it, as often as the store's expiry is refreshed anyway,
 * so a plain page view still writes nothing. That rewrite is also what renews the browser's
 * cookie (sessions/middleware.ts sends it only when the session changes): a longer interval
 * here lets a session in steady use expire that much sooner than 14 days after its last visit.
 */
export const LAST_SEEN_INTERVAL_MS = TOUCH_INTERVAL_MS;

/** Writes the device, the address and the time into the session (saved with the response). */
export function recordLastSeen(req: Request, now: number): void {
  req.session.device = deviceName(req.get('user-agent'));
  req.session.ip = req.ip ?? '';
  req.session.seenAt = now;
}

/** Behind currentUser: a signed-in session not seen for an hour (or ever) records this visit. */
export function refreshLastSeen(req: Request, res: Response, next: NextFunction): void {
  const now = Date.now();
  if (res.locals.currentUser && now - (req.session.seenAt ?? 0) >= LAST_SEEN_INTERVAL_MS) {
    recordLastSeen(req, now);
  }
  next();
}
