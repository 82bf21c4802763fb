import type { CookieOptions, Request, Response } from 'express';
import { recordLastSeen } from './last-seen';

// express-session's callback API as promises. regenerate() drops every field of the old
// session (the CSRF token too), so set what the new session needs after it.
export const regenerateSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));

export const saveSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));

/**
 * Regenerates the session id (defeats fixation) and stores the user in the new session.
 * `checkedAt` is when the password check began: a login that read the old password hash just
 * before a password change must count as older than the change, so its session is cut off.
 */
export async function startUserSession(req: Request, userId: number, checkedAt = Date.now()): Promise<void> {
  await regenerateSession(req);
  req.session.userId = userId;
  req.session.authAt = checkedAt;
  recordLastSeen(req, Date.now());
}

/**
 * Signs this browser out: the session leaves the store and the cookie is expired. Nothing new
 * is stored for the visitor (a goodbye message goes in a notice cookie, see http/flash.ts).
 */
export async function endSession(req: Request, res: Response): Promise<void> {
  await new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));
  const cookie = req.app.get('session cookie') as { name: string; options: CookieOptions } | undefined;
  if (cookie) res.clearCookie(cookie.name, cookie.options);
}
