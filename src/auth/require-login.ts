import type { NextFunction, Request, Response } from 'express';
import type { IsoDate } from '../dates/calendar';
import { todayIn } from '../dates/time-zones';
import { flash } from '../http/flash';
import { wantsJson } from '../http/wants-json';
import { authMessages } from '../messages/auth';

export function requireLogin(req: Request, res: Response, next: NextFunction): void {
  if (res.locals.currentUser) return next();
  // A script asking for JSON gets a 401 it can act on; a browser gets the login page.
  if (wantsJson(req)) {
    res.status(401).json({ error: { status: 401, message: authMessages.loginRequired } });
    return;
  }
  if (req.method === 'GET') flash(req, 'info', authMessages.loginRequired);
  res.redirect(303, '/login');
}

/** The logged-in user's id; only valid behind requireLogin. */
export function currentUserId(res: Response): number {
  const user = res.locals.currentUser;
  if (!user) throw new Error('currentUserId used on a route without requireLogin');
  return user.id;
}

/** Today's date for the logged-in user, in their time zone; only valid behind requireLogin. */
export function currentToday(res: Response): IsoDate {
  const user = res.locals.currentUser;
  if (!user) throw new Error('currentToday used on a route without requireLogin');
  return todayIn(user.timeZone, res.locals.now);
}
