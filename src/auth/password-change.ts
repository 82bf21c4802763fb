import type { Request } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import { revokePasswordResets } from '../models/password-resets';
import { cutOffSessions } from '../models/session-cutoffs';
import { updatePasswordHash } from '../models/users';
import { startUserSession } from '../sessions/lifecycle';
import { destroyUserSessions } from '../sessions/sign-out';

/**
 * The account's password becomes `hash` (inside the caller's transaction): every session that
 * logged in before `now` stops counting, even one a request in flight writes back to the store
 * later, and every reset link sent before `now` is spent.
 */
export async function replacePassword(trx: Knex, userId: number, hash: string, now: number): Promise<void> {
  await updatePasswordHash(trx, userId, hash);
  await cutOffSessions(trx, userId, now);
  await revokePasswordResets(trx, userId, new Date(now));
}

/** After a new password: this browser goes on as the user on a new session id, and the user's other sessions are deleted. */
export async function continueAsOnlySession(
  req: Request,
  sessionStore: session.Store,
  userId: number,
): Promise<void> {
  await startUserSession(req, userId);
  await destroyUserSessions(sessionStore, userId, req.sessionID);
}
