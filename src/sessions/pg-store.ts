import connectPgSimple, { type PgQueryable } from 'connect-pg-simple';
import session from 'express-session';
import type { Knex } from 'knex';
import { queryPrepared } from '../db/pg-pool';
import type { Logger } from '../logger';
import { purgeHourly, throttleTouches, type ClosableStore } from './store-contract';

/** Created by the migration 20261201000100_create_pg_sessions (on PostgreSQL only). */
export const PG_SESSIONS_TABLE = 'sessions';

/**
 * connect-pg-simple's "pool": each query borrows a connection from the app's own Knex pool, so
 * sessions count in DATABASE_POOL_MAX (one pool a process), and get the same statement timeout,
 * the same short wait for a connection and the same recovery when PostgreSQL comes back. Its
 * few statements are prepared once per connection (db/pg-pool.ts).
 */
function knexPool(db: Knex): PgQueryable {
  return { query: (text, params) => queryPrepared(db, text, params) };
}

/**
 * Sessions in PostgreSQL (connect-pg-simple) on the app's database, with what the SQLite store
 * does: expiry checked on every read (by the store's SELECT), touch throttled to once an hour,
 * an hourly purge, and signing a user out everywhere. A query that fails (PostgreSQL is down)
 * fails that request with a 503; nothing here throws outside a request.
 */
export async function createPgSessionStore(db: Knex, logger: Logger): Promise<ClosableStore> {
  if (!(await db.schema.hasTable(PG_SESSIONS_TABLE))) {
    throw new Error(`the ${PG_SESSIONS_TABLE} table is missing: run the migrations (npm run migrate) first`);
  }
  const logError = (err: unknown) => logger.error({ err }, 'session store query failed');
  const PgStore = connectPgSimple(session);
  const store = new PgStore({
    pool: knexPool(db),
    tableName: PG_SESSIONS_TABLE,
    // The table comes from a migration: no DDL at run time, none racing between workers.
    createTableIfMissing: false,
    pruneSessionInterval: false, // purged hourly below, as on SQLite
    errorLog: (message: unknown, err: unknown) => logger.error({ err }, String(message)),
  }) as unknown as ClosableStore;
  const closeStore = store.close.bind(store);

  const touches = throttleTouches(store, logError);

  store.purgeExpired = () => db(PG_SESSIONS_TABLE).where('expire', '<', db.fn.now()).delete();

  // The session's JSON holds the user's id (an expression index makes this a lookup).
  store.destroyUserSessions = async (userId, exceptSid) => {
    const removed = await db(PG_SESSIONS_TABLE)
      .whereRaw("sess->>'userId' = ?", [String(userId)])
      .andWhereNot('sid', exceptSid ?? '')
      .delete();
    touches.forgetAllBut(exceptSid);
    return removed;
  };

  store.listUserSessions = async (userId) => {
    const rows = await db(PG_SESSIONS_TABLE)
      .select<{ sid: string; sess: Partial<session.SessionData> }[]>('sid', 'sess')
      .whereRaw("sess->>'userId' = ?", [String(userId)])
      .andWhere('expire', '>=', db.fn.now());
    return rows.map((row) => ({ sid: row.sid, data: row.sess }));
  };

  // The user's id in the same DELETE: a sid that is not theirs deletes nothing.
  store.destroyUserSession = async (userId, sid) => {
    const removed = await db(PG_SESSIONS_TABLE)
      .where('sid', sid)
      .andWhereRaw("sess->>'userId' = ?", [String(userId)])
      .delete();
    touches.forget(sid);
    return removed > 0;
  };

  const purge = purgeHourly(store, touches, logError);
  store.close = async () => {
    clearInterval(purge);
    await closeStore(); // the pool is the app's: the database is closed with it
  };
  return store;
}
