import crypto from 'node:crypto';
import type session from 'express-session';
import type { StoredSession } from './store-contract';

// The account page's list of a user's sessions, and signing out one of them. The app's stores
// (SQLite, PostgreSQL) find a user's sessions with one query each; express-session's
// MemoryStore, which the tests use, is read through all().

interface ListingStore {
  listUserSessions(userId: number): Promise<StoredSession[]>;
  destroyUserSession(userId: number, sid: string): Promise<boolean>;
}

function hasOwnListing(store: session.Store): store is session.Store & ListingStore {
  const candidate = store as Partial<ListingStore>;
  return (
    typeof candidate.listUserSessions === 'function' && typeof candidate.destroyUserSession === 'function'
  );
}

/**
 * What a page and a form name a session by: a digest of its id. The id is the cookie's secret,
 * so it never appears in a page; the digest cannot be turned back into it.
 */
export function sessionKey(sid: string): string {
  return crypto.createHash('sha256').update(`session-key:${sid}`).digest('base64url');
}

/** A session key's shape (SHA-256 in base64url); anything else names no session. */
export const SESSION_KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The user's sessions that have not expired. */
export async function listUserSessions(store: session.Store, userId: number): Promise<StoredSession[]> {
  if (hasOwnListing(store)) return store.listUserSessions(userId);
  const all = store.all?.bind(store);
  if (!all) throw new Error('this session store cannot list its sessions');
  const sessions = await new Promise<unknown>((resolve, reject) =>
    all((err: unknown, found?: unknown) => (err ? reject(err) : resolve(found))),
  );
  if (typeof sessions !== 'object' || sessions === null || Array.isArray(sessions)) {
    throw new Error('this session store does not report session ids');
  }
  // MemoryStore's all() leaves out the sessions that have expired.
  return Object.entries(sessions as Record<string, Partial<session.SessionData>>)
    .filter(([, data]) => data?.userId === userId)
    .map(([sid, data]) => ({ sid, data }));
}

/** Deletes the session `sid` only if it is one of the user's; resolves with whether one went. */
export async function destroyUserSession(
  store: session.Store,
  userId: number,
  sid: string,
): Promise<boolean> {
  if (hasOwnListing(store)) return store.destroyUserSession(userId, sid);
  const mine = (await listUserSessions(store, userId)).some((found) => found.sid === sid);
  if (!mine) return false;
  await destroySession(store, sid);
  return true;
}

/** express-session's store.destroy() as a promise. */
export function destroySession(store: session.Store, sid: string): Promise<void> {
  return new Promise((resolve, reject) =>
    store.destroy(sid, (err?: unknown) => (err ? reject(err) : resolve())),
  );
}
