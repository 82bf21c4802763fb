import type session from 'express-session';
import { destroySession, listUserSessions } from './user-sessions';

/** A session store that can sign a user out everywhere (the SQLite store implements this). */
export interface UserSessionStore {
  destroyUserSessions(userId: number, exceptSid?: string): Promise<number>;
}

function hasOwnMethod(store: session.Store): store is session.Store & UserSessionStore {
  return typeof (store as Partial<UserSessionStore>).destroyUserSessions === 'function';
}

/**
 * Removes every stored session of the user except `exceptSid`, and says how many went.
 * Stores with their own index use it; otherwise the user's sessions are found as the account
 * page lists them (user-sessions.ts: through all(), as express-session's MemoryStore has it).
 */
export async function destroyUserSessions(
  store: session.Store,
  userId: number,
  exceptSid?: string,
): Promise<number> {
  if (hasOwnMethod(store)) return store.destroyUserSessions(userId, exceptSid);
  const mine = (await listUserSessions(store, userId))
    .map(({ sid }) => sid)
    .filter((sid) => sid !== exceptSid);
  for (const sid of mine) await destroySession(store, sid);
  return mine.length;
}
