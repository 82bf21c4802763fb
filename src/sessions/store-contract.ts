import type session from 'express-session';

// What every session store of the app does, on SQLite and on PostgreSQL alike.

export interface ClosableStore extends session.Store {
  close(): Promise<void>;
  /** Deletes expired sessions now (also runs hourly); resolves with how many went. */
  purgeExpired(): Promise<number>;
  /** Deletes every session of the user except one (account deletion, password change). */
  destroyUserSessions(userId: number, exceptSid?: string): Promise<number>;
  /** The user's sessions that have not expired, in no particular order. */
  listUserSessions(userId: number): Promise<StoredSession[]>;
  /** Deletes the session `sid` if it is one of the user's; resolves with whether one went. */
  destroyUserSession(userId: number, sid: string): Promise<boolean>;
}

/** One stored session of a user, as the account page lists it. */
export interface StoredSession {
  sid: string;
  data: Partial<session.SessionData>;
}

const HOUR_MS = 60 * 60 * 1000;
/** Expiry is refreshed at most this often per session, not on every request. */
export const TOUCH_INTERVAL_MS = HOUR_MS;
/** Sessions whose last refresh is remembered; past this the oldest are forgotten (one early refresh each). */
export const TOUCH_MEMORY_MAX = 20_000;
/** Expired sessions are deleted this often. */
export const PURGE_INTERVAL_MS = HOUR_MS;

export interface TouchThrottle {
  /** After a user's sessions were deleted: which sids went is unknown, so all but the kept one are forgotten. */
  forgetAllBut(keptSid: string | undefined): void;
  /** After one session was deleted. */
  forget(sid: string): void;
  /** Forgets sessions not touched for an interval (they would be touched again anyway). */
  forgetStale(now: number): void;
}

/**
 * express-session calls touch() on every request that did not change the session. One UPDATE
 * an hour per session keeps the 14-day idle expiry without a write per request. A failed touch
 * is logged, not reported (the request goes on), and not remembered, so the next request
 * retries it; a store that calls back twice (connect-sqlite3 on an error) is answered once.
 */
export function throttleTouches(store: session.Store, logError: (err: unknown) => void): TouchThrottle {
  const lastTouched = new Map<string, number>();
  const remember = (sid: string, at: number) => {
    lastTouched.delete(sid); // re-inserted last: the Map's order is oldest first
    lastTouched.set(sid, at);
    if (lastTouched.size > TOUCH_MEMORY_MAX) lastTouched.delete(lastTouched.keys().next().value!);
  };
  const originalTouch = store.touch!.bind(store);
  const originalSet = store.set.bind(store);
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    if (now - (lastTouched.get(sid) ?? 0) < TOUCH_INTERVAL_MS) return callback?.();
    let answered = false;
    originalTouch(sid, sess, (err?: unknown) => {
      if (answered) return;
      answered = true;
      if (err) logError(err);
      else remember(sid, now);
      callback?.();
    });
  };
  store.set = (sid, sess, callback) => {
    remember(sid, Date.now());
    originalSet(sid, sess, callback);
  };
  return {
    forgetAllBut(keptSid) {
      // Each other live session pays one early expiry refresh; no deleted sid lingers in memory.
      for (const sid of lastTouched.keys()) if (sid !== keptSid) lastTouched.delete(sid);
    },
    forget(sid) {
      lastTouched.delete(sid);
    },
    forgetStale(now) {
      for (const [sid, at] of lastTouched) if (now - at >= TOUCH_INTERVAL_MS) lastTouched.delete(sid);
    },
  };
}

/** Purges expired sessions every hour; the timer never keeps the process alive. Clear it on close. */
export function purgeHourly(
  store: ClosableStore,
  touches: TouchThrottle,
  logError: (err: unknown) => void,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    store.purgeExpired().catch(logError);
    touches.forgetStale(Date.now());
  }, PURGE_INTERVAL_MS);
  timer.unref();
  return timer;
}
