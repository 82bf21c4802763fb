import path from 'node:path';
import connectSqlite3, { type SqliteLike } from 'connect-sqlite3';
import session from 'express-session';
import sqlite3 from 'sqlite3';
import type { Logger } from '../logger';
import { purgeHourly, throttleTouches, type ClosableStore } from './store-contract';

function promisify(fn: (cb: (err: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

/**
 * connect-sqlite3 (the fixed stack) on its own database file, hardened against its known
 * traps: its constructor throws inside a callback, its cleanup DELETE has no callback (an
 * unhandled 'error' would kill the process), and it reports errors from get() twice. We open
 * and configure the connection ourselves and hand the store a wrapper that always has a
 * callback, so a store error becomes a 503 for one request, never a crash.
 */
export async function createSqliteSessionStore(dataDir: string, logger: Logger): Promise<ClosableStore> {
  const file = path.join(dataDir, 'sessions.sqlite3');
  const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
    const db = new sqlite3.Database(file, (err) => (err ? reject(err) : resolve(db)));
  });
  raw.on('error', (err) => logger.error({ err }, 'session store error'));
  raw.configure('busyTimeout', 2000);
  // WAL for concurrent readers; NORMAL survives process crashes (a power loss may log people out).
  await promisify((cb) =>
    raw.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
       CREATE TABLE IF NOT EXISTS sessions (sid PRIMARY KEY, expired, sess);
       CREATE INDEX IF NOT EXISTS sessions_expired_index ON sessions (expired);`,
      cb,
    ),
  );

  // node-sqlite3's get() steps to the first row and leaves the statement open until its
  // finalize, a separate job on the thread pool: the connection stays in a read transaction
  // meanwhile. A write that this connection runs in that gap (express-session saving another
  // request's session) must upgrade that old snapshot, and if another process (a second worker)
  // has written since, SQLite answers SQLITE_BUSY at once, without waiting. all() runs the
  // statement to its end, which closes the read transaction within the same job.
  const firstRow = (sql: string, params: unknown[], callback: (err: Error | null, row?: unknown) => void) =>
    raw.all(sql, params, (err, rows) => callback(err, rows?.[0]));

  const logError = (err: unknown) => {
    if (err) logger.error({ err }, 'session store query failed');
  };
  // connect-sqlite3's daily cleanup timer outlives close() (it keeps no handle to clear it): once
  // closed, its DELETE is dropped instead of logging "database is closed" every day.
  let closed = false;
  const safeDb: SqliteLike = {
    // Only the store's constructor calls exec (CREATE TABLE, already done above): log, never throw.
    exec: (sql, callback) => raw.exec(sql, (err) => (logError(err), callback?.(null))),
    get: (sql, params, callback) => firstRow(sql, params, callback),
    all: (sql, params, callback) =>
      typeof params === 'function' ? raw.all(sql, params) : raw.all(sql, params, callback),
    run: (sql, params, callback) => (closed ? callback?.(null) : raw.run(sql, params, callback ?? logError)),
  };

  const SQLiteStore = connectSqlite3(session);
  const store = new SQLiteStore({ db: safeDb, table: 'sessions' }) as ClosableStore;

  // get(): one callback per call, and a corrupt row is "no session" rather than an uncaught throw.
  store.get = (sid, callback) => {
    firstRow('SELECT sess FROM sessions WHERE sid = ? AND ? <= expired', [sid, Date.now()], (err, row) => {
      if (err) return callback(err);
      const sess = (row as { sess?: string } | undefined)?.sess;
      if (!sess) return callback(null, null);
      let data: session.SessionData;
      try {
        data = JSON.parse(sess) as session.SessionData;
      } catch {
        return callback(null, null);
      }
      callback(null, data); // outside the try: an error downstream must not call back twice
    });
  };

  const touches = throttleTouches(store, logError);

  const runCounting = (sql: string, params: unknown[]) =>
    new Promise<number>((resolve, reject) =>
      raw.run(sql, params, function (this: sqlite3.RunResult, err: Error | null) {
        if (err) reject(err);
        else resolve(this.changes);
      }),
    );

  store.purgeExpired = () => runCounting('DELETE FROM sessions WHERE expired < ?', [Date.now()]);

  // The session's JSON holds the user's id; the store's own table has no column for it.
  store.destroyUserSessions = async (userId, exceptSid) => {
    const removed = await runCounting(
      // json_valid first: one corrupt row must not make the whole DELETE fail.
      "DELETE FROM sessions WHERE sid <> ? AND json_valid(sess) AND json_extract(sess, '$.userId') = ?",
      [exceptSid ?? '', userId],
    );
    touches.forgetAllBut(exceptSid);
    return removed;
  };

  const userRows = (userId: number) =>
    new Promise<{ sid: string; sess: string }[]>((resolve, reject) =>
      raw.all(
        "SELECT sid, sess FROM sessions WHERE ? <= expired AND json_valid(sess) AND json_extract(sess, '$.userId') = ?",
        [Date.now(), userId],
        (err, found: { sid: string; sess: string }[]) => (err ? reject(err) : resolve(found)),
      ),
    );

  store.listUserSessions = async (userId) =>
    (await userRows(userId)).flatMap((row) => {
      try {
        return [{ sid: row.sid, data: JSON.parse(row.sess) as Partial<session.SessionData> }];
      } catch {
        return []; // JSON that SQLite reads but JSON.parse does not (JSON5): not a session we wrote
      }
    });

  // The user's id in the same DELETE: a sid that is not theirs deletes nothing.
  store.destroyUserSession = async (userId, sid) => {
    const removed = await runCounting(
      "DELETE FROM sessions WHERE sid = ? AND json_valid(sess) AND json_extract(sess, '$.userId') = ?",
      [sid, userId],
    );
    touches.forget(sid);
    return removed > 0;
  };

  // Expired sessions are purged hourly (the store itself only does so daily).
  const purge = purgeHourly(store, touches, logError);

  store.close = async () => {
    closed = true;
    clearInterval(purge);
    await promisify((cb) => raw.close(cb));
  };
  return store;
}
