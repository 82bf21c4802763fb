import type { NextFunction, Request, Response } from 'express';
import type { Knex } from 'knex';
import { findUserForSession } from '../models/users';

/** Everything the session held for its user (tasks in an undo, messages naming tasks) goes. */
function forgetSessionData(req: Request): void {
  const session = req.session;
  delete session.userId;
  delete session.authAt;
  delete session.flash;
  delete session.deletedTask;
  delete session.importReport;
}

/**
 * Loads { id, email, timeZone, keyboardShortcuts } for the session's user; a session whose user is gone, that logged in
 * before the user's sessions were cut off (password change), or whose login is older than the
 * absolute lifetime (however often it was used), is logged out.
 */
export function currentUser(db: Knex, absoluteLifetimeMs: number) {
  return async function loadCurrentUser(req: Request, res: Response, next: NextFunction): Promise<void> {
    const { userId, authAt } = req.session;
    if (userId !== undefined && (authAt === undefined || Date.now() - authAt > absoluteLifetimeMs)) {
      forgetSessionData(req);
    } else if (userId !== undefined) {
      const user = await findUserForSession(db, userId, authAt);
      if (user) {
        res.locals.currentUser = {
          id: user.id,
          email: user.email,
          timeZone: user.timeZone,
          keyboardShortcuts: user.keyboardShortcuts,
        };
      } else forgetSessionData(req);
    }
    next();
  };
}
