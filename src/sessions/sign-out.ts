import type session from 'express-session';

/** A session store that can sign a user out everywhere (the SQLite store implements this). */
export interface UserSessionStore {
  destroyUserSessions(userId: number, exceptSid?: string): Promise<number>;
}

function hasOwnMethod(store: session.Store): store is session.Store & UserSessionStore {
  return typeof (store as Partial<UserSessionStore>).destroyUserSessions === 'function';
}

function destroy(store: session.Store, sid: string): Promise<void> {
  return new Promise((resolve, reject) =>
    store.destroy(sid, (err?: unknown) => (err ? reject(err) : resolve())),
  );
}

/**
 * Removes every stored session of the user except `exceptSid`, and says how many went.
 * Stores with their own index use it; otherwise the store's all() must map session ids to
 * sessions (express-session's MemoryStore does; connect-sqlite3's all() drops the ids).
 */
export async function destroyUserSessions(
  store: session.Store,
  userId: number,
  exceptSid?: string,
): Promise<number> {
  if (hasOwnMethod(store)) return store.destroyUserSessions(userId, exceptSid);
  const all = store.all?.bind(store);
  if (!all) throw new Error('this session store cannot list its sessions');
  const sessions = await new Promise<unknown>((resolve, reject) =>
    all((err: unknown, found?: unknown) => (err ? reject(err) : resolve(found))),
  );
  if (typeof sessions !== 'object' || sessions === null || Array.isArray(sessions)) {
    throw new Error('this session store does not report session ids');
  }
  const mine = Object.entries(sessions as Record<string, Partial<session.SessionData>>)
    .filter(([sid, data]) => sid !== exceptSid && data?.userId === userId)
    .map(([sid]) => sid);
  for (const sid of mine) await destroy(store, sid);
  return mine.length;
}
