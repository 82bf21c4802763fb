import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import sqlite3 from 'sqlite3';
import request from 'supertest';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createPasswords } from '../../src/auth/passwords';
import { createSessionStore, TOUCH_INTERVAL_MS, type ClosableStore } from '../../src/sessions/store';
import { tempDataDir } from '../helpers/server-process';
import { createMigratedDb, onPostgres, TEST_DATABASE_URL } from '../helpers/test-database';
import { csrfTokenFor, GOOD_PASSWORD, postForm, registerUser } from '../helpers/users';

// The same account rules against the real session store of the database the suite runs on:
// connect-sqlite3 on its own file (npm test), or connect-pg-simple in the app's PostgreSQL
// database (npm run test:pg). The other tests replace it with express-session's MemoryStore.

const FOURTEEN_DAYS_MS = 14 * 24 * 60 * 60 * 1000;

let dataDir: string;
let config: Config;
let db: Knex;
let store: ClosableStore;
let app: Express;
/** SQLite: the store's file, read through a second SQLite library, open for the whole test. */
let sessionsDb: Database.Database | undefined;

/** A stored session as the tests read it, on either store: expiry in ms, the session as JSON text. */
interface SessionRow {
  sid: string;
  expired: number;
  sess: string;
}

const sqliteFile = () => path.join(dataDir, 'sessions.sqlite3');

async function rows(): Promise<SessionRow[]> {
  if (onPostgres) {
    const found = await db('sessions').select<{ sid: string; expire: Date; sess: object }[]>(
      'sid',
      'expire',
      'sess',
    );
    return found.map((row) => ({
      sid: row.sid,
      expired: row.expire.getTime(),
      sess: JSON.stringify(row.sess),
    }));
  }
  return sessionsDb!.prepare('SELECT sid, expired, sess FROM sessions').all() as SessionRow[];
}

/** Moves a session's expiry into the past, behind the store's back. */
async function expireInStore(sid: string): Promise<void> {
  if (onPostgres) {
    await db('sessions')
      .where({ sid })
      .update({ expire: new Date(Date.now() - 1000) });
    return;
  }
  const writer = new Database(sqliteFile());
  writer.prepare('UPDATE sessions SET expired = ? WHERE sid = ?').run(Date.now() - 1000, sid);
  writer.close();
}

const rowsOf = async (userId: number) =>
  (await rows()).filter((row) => JSON.parse(row.sess).userId === userId);
const userIdOf = async (email: string) => (await db('users').where({ email }).first<{ id: number }>('id')).id;
const sidOf = (cookie: string) => decodeURIComponent(cookie).match(/^gid\.sid=s:([^.]+)\./)?.[1];

beforeEach(async () => {
  dataDir = tempDataDir('gid-account-');
  config = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: TEST_DATABASE_URL ?? '', // picks the PostgreSQL store on PostgreSQL
  });
  const logger = createLogger('silent');
  db = await createMigratedDb();
  store = await createSessionStore(config, db, logger);
  app = createApp({
    config,
    db,
    logger,
    sessionStore: store,
    sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
    passwords: createPasswords(config.bcryptRounds),
  });
  if (!onPostgres) sessionsDb = new Database(sqliteFile(), { readonly: true });
});

afterEach(async () => {
  vi.useRealTimers();
  sessionsDb?.close();
  sessionsDb = undefined;
  await store.close();
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function logIn(email: string) {
  const agent = request.agent(app);
  const _csrf = await csrfTokenFor(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf, email, password: GOOD_PASSWORD });
  expect(res.status).toBe(303);
  return agent;
}

describe(`sessions in the ${onPostgres ? 'PostgreSQL' : 'SQLite'} store`, () => {
  it('expire after 14 days without activity, in the cookie and in the store', async () => {
    const { agent, email } = await registerUser(app);
    const res = await agent.get('/');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '');
    expect(Math.abs(expires - (Date.now() + FOURTEEN_DAYS_MS))).toBeLessThan(60_000);
    const [row] = await rowsOf(await userIdOf(email));
    expect(Math.abs(row!.expired - (Date.now() + FOURTEEN_DAYS_MS))).toBeLessThan(60_000);
  });

  it('are not rewritten, nor their cookie sent again, on every request when nothing changed, yet stay fresh with use', async () => {
    const { agent, email } = await registerUser(app);
    await agent.get('/'); // shows (and so removes) the welcome message: one write
    const userId = await userIdOf(email);
    const [before] = await rowsOf(userId);
    for (let i = 0; i < 5; i++) {
      const res = await agent.get('/');
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined(); // nor is the cookie signed and sent again
    }
    expect(await rowsOf(userId)).toEqual([before]);

    // Over an hour later, a visit records "last seen" (sessions/last-seen.ts): the session is
    // saved, which moves its expiry forward in the store and sends the browser a renewed cookie.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + TOUCH_INTERVAL_MS + 60_000);
    const later = await agent.get('/');
    expect(later.status).toBe(200);
    const cookie = [later.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('gid.sid=')) ?? '';
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)?.[1] ?? '');
    expect(Math.abs(expires - (Date.now() + FOURTEEN_DAYS_MS))).toBeLessThan(60_000);
    const [after] = await rowsOf(userId);
    expect(after!.expired).toBeGreaterThan(before!.expired + TOUCH_INTERVAL_MS);
  });

  it('log out once expired, and expired rows are purged from the store', async () => {
    const { agent, email } = await registerUser(app);
    const userId = await userIdOf(email);
    await expireInStore((await rowsOf(userId))[0]!.sid);
    const res = await agent.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await rowsOf(userId)).toEqual([]);
  });

  it('purges expired sessions every hour on its own', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const ownDir = tempDataDir('gid-purge-');
    const own = await createSessionStore({ ...config, dataDir: ownDir }, db, createLogger('silent'));
    try {
      const purge = vi.spyOn(own, 'purgeExpired');
      vi.advanceTimersByTime(60 * 60 * 1000 - 1);
      expect(purge).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(purge).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(60 * 60 * 1000);
      expect(purge).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
      await own.close();
      fs.rmSync(ownDir, { recursive: true, force: true });
    }
  });

  it('changing the password removes the other sessions of the user from the store', async () => {
    const { agent, email } = await registerUser(app);
    const phone = await logIn(email);
    const other = await registerUser(app);
    const userId = await userIdOf(email);
    expect(await rowsOf(userId)).toHaveLength(2);

    const res = await postForm(
      agent,
      '/account/password',
      { current: GOOD_PASSWORD, password: 'a brand new sentence', verify: 'a brand new sentence' },
      '/account',
    );
    expect(res.status).toBe(303);
    const newSid = sidOf(res.headers['set-cookie']![0]!.split(';')[0]!);
    expect((await rowsOf(userId)).map((row) => row.sid)).toEqual([newSid]);
    expect((await phone.get('/')).headers.location).toBe('/login');
    expect((await agent.get('/')).status).toBe(200);
    expect(await rowsOf(await userIdOf(other.email))).toHaveLength(1);
  });

  // SQLite only: its sess column takes any text, where PostgreSQL's json column refuses a corrupt
  // row when it is written, so there such a row cannot exist.
  if (!onPostgres) {
    it('one corrupt row in the store does not stop signing the user out elsewhere', async () => {
      const { agent, email } = await registerUser(app);
      const phone = await logIn(email);
      const userId = await userIdOf(email);
      // Written through the store's own driver: closing a connection of a second SQLite library
      // (better-sqlite3) in this process would drop the store's file locks.
      const writable = new sqlite3.Database(sqliteFile());
      await new Promise<void>((resolve, reject) =>
        writable.run(
          'INSERT INTO sessions VALUES (?, ?, ?)',
          ['corrupt', Date.now() + 60_000, '{not json'],
          (err) => (err ? reject(err) : writable.close(() => resolve())),
        ),
      );
      const res = await postForm(
        agent,
        '/account/password',
        { current: GOOD_PASSWORD, password: 'a brand new sentence', verify: 'a brand new sentence' },
        '/account',
      );
      expect(res.status).toBe(303);
      expect((await rows()).filter((row) => row.sess.includes(`"userId":${userId}`))).toHaveLength(1);
      expect((await phone.get('/')).headers.location).toBe('/login');
    });
  }

  it('deleting the account leaves no session of the user in the store', async () => {
    const { agent, email } = await registerUser(app);
    const phone = await logIn(email);
    const userId = await userIdOf(email);
    const res = await postForm(agent, '/account/delete', { password: GOOD_PASSWORD }, '/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/register');
    expect(await rowsOf(userId)).toEqual([]);
    expect((await rows()).some((row) => row.sess.includes(`"userId":${userId}`))).toBe(false);
    expect((await phone.get('/')).headers.location).toBe('/login');
  });
});
