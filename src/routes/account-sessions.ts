import { Router, type Request, type Response } from 'express';
import type session from 'express-session';
import { logSecurityEvent } from '../auth/audit';
import { currentUserId, requireLogin } from '../auth/require-login';
import { flash } from '../http/flash';
import { notFound } from '../http/http-error';
import { sessionMessages } from '../messages/sessions';
import { UNKNOWN_DEVICE } from '../sessions/device-name';
import { destroyUserSessions } from '../sessions/sign-out';
import {
  destroyUserSession,
  listUserSessions,
  SESSION_KEY_PATTERN,
  sessionKey,
} from '../sessions/user-sessions';

/** The account page lists this many sessions, most recently seen first; the button covers the rest. */
export const SESSIONS_LISTED_MAX = 50;

const HOUR_MS = 60 * 60 * 1000;

/** One signed-in session as the account page shows it. */
export interface SessionView {
  key: string;
  device: string;
  ip: string;
  lastSeen: { text: string; iso?: string };
  current: boolean;
  /** What the Sign out button adds to its accessible name, to say which session it is about. */
  signOutDetail: string;
}

export interface SessionsView {
  list: SessionView[];
  /** Sessions left out of the list (over SESSIONS_LISTED_MAX), in words; undefined when none. */
  more?: string;
  others: number;
}

function lastSeen(seenAt: number | undefined, now: number): SessionView['lastSeen'] {
  if (seenAt === undefined) return { text: sessionMessages.seenUnknown };
  const iso = new Date(seenAt).toISOString();
  const ago = now - seenAt;
  // Sessions record a visit at most hourly (sessions/last-seen.ts): nothing finer is known.
  if (ago < HOUR_MS) return { text: sessionMessages.seenWithinHour, iso };
  if (ago < 24 * HOUR_MS) return { text: sessionMessages.seenHoursAgo(Math.floor(ago / HOUR_MS)), iso };
  return { text: sessionMessages.seenOn(new Date(seenAt)), iso };
}

/**
 * The user's sessions that still count (not expired, not past the absolute lifetime), this
 * browser's first, then the most recently seen.
 */
async function liveSessions(req: Request, userId: number) {
  const absoluteMs = req.app.get('session lifetime ms') as number | undefined;
  const now = Date.now();
  return (await listUserSessions(req.sessionStore, userId))
    .filter(({ data }) => absoluteMs === undefined || now - (data.authAt ?? 0) <= absoluteMs)
    .sort(
      (a, b) =>
        Number(b.sid === req.sessionID) - Number(a.sid === req.sessionID) ||
        (b.data.seenAt ?? 0) - (a.data.seenAt ?? 0),
    );
}

/** What the account page's "Where you are logged in" section shows. */
export async function describeSessions(req: Request, userId: number): Promise<SessionsView> {
  const now = Date.now();
  const found = await liveSessions(req, userId);
  const list = found.slice(0, SESSIONS_LISTED_MAX).map(({ sid, data }): SessionView => {
    const current = sid === req.sessionID;
    // This browser's session may have recorded its device in this very request (not yet saved).
    const device = (current ? req.session.device : data.device) ?? UNKNOWN_DEVICE;
    // This browser's address is the one it has now; another's, the one it was last seen at.
    const ip = (current ? req.ip : data.ip) || sessionMessages.addressUnknown;
    const seen = current ? { text: sessionMessages.seenNow } : lastSeen(data.seenAt, now);
    return {
      key: sessionKey(sid),
      device,
      ip,
      lastSeen: seen,
      current,
      signOutDetail: sessionMessages.signOutDetail(device, ip, seen.text),
    };
  });
  const left = found.length - list.length;
  return {
    list,
    more: left > 0 ? sessionMessages.moreSessions(left) : undefined,
    others: found.filter(({ sid }) => sid !== req.sessionID).length,
  };
}

interface AccountSessionsDeps {
  sessionStore: session.Store;
}

/**
 * Signing out the account's other sessions from the account page: one by its key, or all but
 * this one. Neither asks for the password (and so neither counts against the password checks):
 * it only ever takes access away, and a thief's session must not be able to stop the owner.
 */
export function accountSessionsRouter({ sessionStore }: AccountSessionsDeps): Router {
  const router = Router();
  router.post('/account/sessions/others', requireLogin, postSignOutOthers);
  router.post('/account/sessions/:key/sign-out', requireLogin, postSignOutOne);
  return router;

  async function postSignOutOthers(req: Request, res: Response) {
    const userId = currentUserId(res);
    const count = await destroyUserSessions(sessionStore, userId, req.sessionID);
    logSecurityEvent(req, 'session.revoked', { userId, count });
    flash(req, 'success', sessionMessages.signedOutOthers(count));
    res.redirect(303, '/account');
  }

  async function postSignOutOne(req: Request<{ key: string }>, res: Response) {
    const userId = currentUserId(res);
    const { key } = req.params;
    if (!SESSION_KEY_PATTERN.test(key)) throw notFound(sessionMessages.sessionNotFound);
    // Only among this user's own sessions, and never this browser's (Log out is for that).
    const target = (await liveSessions(req, userId)).find(
      ({ sid }) => sid !== req.sessionID && sessionKey(sid) === key,
    );
    if (!target || !(await destroyUserSession(sessionStore, userId, target.sid))) {
      throw notFound(sessionMessages.sessionNotFound);
    }
    logSecurityEvent(req, 'session.revoked', { userId, count: 1 });
    flash(req, 'success', sessionMessages.signedOutOne(target.data.device ?? UNKNOWN_DEVICE));
    res.redirect(303, '/account');
  }
}
