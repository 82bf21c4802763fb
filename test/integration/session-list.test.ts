import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildTestApp } from '../helpers/test-app';
import { createApp } from '../../src/app';
import { createPasswords } from '../../src/auth/passwords';
import { loadConfig } from '../../src/config';
import { createSessionStore, TOUCH_INTERVAL_MS, type ClosableStore } from '../../src/sessions/store';
import { captureLogs, type LogLine } from '../helpers/log-lines';
import { tempDataDir } from '../helpers/server-process';
import { createMigratedDb, onPostgres, TEST_DATABASE_URL } from '../helpers/test-database';
import { csrfFrom, csrfTokenFor, GOOD_PASSWORD, postForm, registerUser, type Agent } from '../helpers/users';

// "Where you are logged in" on the account page, against the real session store of the database
// the suite runs on (connect-sqlite3, or connect-pg-simple under npm run test:pg): the store's
// own query finds the user's sessions.

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

let dataDir: string;
let db: Knex;
let store: ClosableStore | undefined;
let app: Express;
let logs: ReturnType<typeof captureLogs>;

function build(env: Record<string, string> = {}) {
  const config = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    DATABASE_URL: TEST_DATABASE_URL ?? '', // picks the PostgreSQL store on PostgreSQL
    ...env,
  });
  return { config, app: (sessionStore: ClosableStore) => appWith(config, sessionStore) };
}

function appWith(config: ReturnType<typeof loadConfig>, sessionStore: ClosableStore): Express {
  return createApp({
    config,
    db,
    logger: logs.logger,
    sessionStore,
    sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
    passwords: createPasswords(config.bcryptRounds),
  });
}

async function start(env: Record<string, string> = {}) {
  const built = build(env);
  store = await createSessionStore(built.config, db, logs.logger);
  app = built.app(store);
}

beforeEach(async () => {
  dataDir = tempDataDir('gid-session-list-');
  logs = captureLogs();
  db = await createMigratedDb();
});

afterEach(async () => {
  vi.useRealTimers();
  await store?.close();
  store = undefined;
  await db.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A browser of its own (its own cookie jar and User-Agent), logged in as `email`. */
async function logIn(email: string, userAgent: string): Promise<Agent> {
  const agent = request.agent(app).set('User-Agent', userAgent);
  const _csrf = await csrfTokenFor(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf, email, password: GOOD_PASSWORD });
  expect(res.status).toBe(303);
  return agent;
}

async function registerWith(userAgent: string) {
  const user = await registerUser(app);
  user.agent.set('User-Agent', userAgent);
  return user;
}

interface Listed {
  device: string;
  current: boolean;
  address: string;
  lastSeen: string;
  /** The Sign out form's action, for the sessions that have one. */
  action?: string;
  button?: string;
}

const stripTags = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The sessions the account page lists, as a person reads them. */
function listedSessions(html: string): Listed[] {
  const list = /<ul class="sessions"[^>]*>([\s\S]*?)<\/ul>/.exec(html)?.[1];
  if (list === undefined) throw new Error('the account page has no list of sessions');
  return [...list.matchAll(/<li class="session[^"]*">([\s\S]*?)<\/li>/g)].map(([, item]) => {
    const device = /<p class="session__device">([\s\S]*?)<\/p>/.exec(item!)![1]!;
    const fact = (name: string) =>
      stripTags(new RegExp(`<dt>${name}</dt><dd>([\\s\\S]*?)</dd>`).exec(item!)?.[1] ?? '');
    const button = /<button[^>]*>([\s\S]*?)<\/button>/.exec(item!)?.[1];
    return {
      device: stripTags(device.replace(/<span class="session__badge">[^<]*<\/span>/, '')),
      current: device.includes('This device'),
      address: fact('Address'),
      lastSeen: fact('Last seen'),
      action: /<form method="post" action="([^"]+)"/.exec(item!)?.[1],
      button: button === undefined ? undefined : stripTags(button),
    };
  });
}

async function accountPage(agent: Agent) {
  const res = await agent.get('/account');
  expect(res.status).toBe(200);
  return { html: res.text, sessions: listedSessions(res.text), csrf: csrfFrom(res.text) };
}

const flashText = (html: string) =>
  stripTags(/<div class="flash[^"]*"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '');

async function isLoggedIn(agent: Agent): Promise<boolean> {
  const res = await agent.get('/');
  if (res.status === 200) return true;
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/login');
  return false;
}

const revokedEvents = () => logs.lines.filter((line: LogLine) => line.event === 'session.revoked');

describe(`the account page's signed-in sessions (${onPostgres ? 'PostgreSQL' : 'SQLite'} store)`, () => {
  it('lists each signed-in browser with its device, address and last visit, and marks this one', async () => {
    await start();
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    await logIn(email, SAFARI_IPHONE);
    await registerWith(CHROME_WINDOWS); // someone else's session is not listed

    const { sessions, html } = await accountPage(agent);
    expect(sessions).toEqual([
      {
        device: 'Unknown browser', // registration ran without a User-Agent header
        current: true,
        address: expect.stringMatching(/127\.0\.0\.1$/),
        lastSeen: 'Now',
        action: undefined,
        button: undefined,
      },
      {
        device: 'Safari on iPhone',
        current: false,
        address: expect.stringMatching(/127\.0\.0\.1$/),
        lastSeen: 'Within the last hour',
        action: expect.stringMatching(/^\/account\/sessions\/[A-Za-z0-9_-]{43}\/sign-out$/),
        button: expect.stringMatching(
          /^Sign out Safari on iPhone, .*127\.0\.0\.1, last seen within the last hour$/,
        ),
      },
    ]);
    expect(html).toContain('Sign out everywhere else');
    // The page names sessions by a digest: no session id appears in it.
    const rows = (await storedRows()).map((row) => row.sid);
    expect(rows.length).toBe(3);
    for (const sid of rows) expect(html).not.toContain(sid);
  });

  it('names the device from the login, and says so when only one device is logged in', async () => {
    await start();
    const { email } = await registerUser(app);
    const laptop = await logIn(email, CHROME_WINDOWS);
    const { sessions, html } = await accountPage(laptop);
    expect(sessions.find((s) => s.current)?.device).toBe('Chrome on Windows');
    expect(sessions.filter((s) => !s.current).map((s) => s.device)).toEqual(['Unknown browser']);
    await postForm(laptop, '/account/sessions/others', {}, '/account');
    const alone = await accountPage(laptop);
    expect(alone.sessions.map((s) => s.device)).toEqual(['Chrome on Windows']);
    expect(alone.html).toContain('You are logged in on this device only.');
    expect(alone.html).not.toContain('Sign out everywhere else');
    expect(html).toContain('Sign out everywhere else');
  });

  it('signs out one other session: its next request goes to /login, the rest stay', async () => {
    await start();
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    const phone = await logIn(email, SAFARI_IPHONE);
    const desktop = await logIn(email, CHROME_WINDOWS);

    const page = await accountPage(agent);
    const target = page.sessions.find((s) => s.device === 'Safari on iPhone')!;
    const res = await agent.post(target.action!).type('form').send({ _csrf: page.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');

    const after = await accountPage(agent);
    expect(flashText(after.html)).toBe('Signed out Safari on iPhone. That device will have to log in again.');
    expect(after.sessions.map((s) => s.device).sort()).toEqual(['Chrome on Windows', 'Unknown browser']);
    expect(await isLoggedIn(phone)).toBe(false);
    expect(await isLoggedIn(desktop)).toBe(true);
    expect(await isLoggedIn(agent)).toBe(true);
    const userId = (await db('users').where({ email }).first<{ id: number }>('id')).id;
    expect(revokedEvents()).toEqual([
      expect.objectContaining({
        event: 'session.revoked',
        userId,
        count: 1,
        ip: expect.stringMatching(/127\.0\.0\.1$/),
      }),
    ]);
    expect(logs.text()).not.toContain(email);

    // The same key again names nothing: 404, and nothing else changes.
    const again = await agent.post(target.action!).type('form').send({ _csrf: page.csrf });
    expect(again.status).toBe(404);
    expect(await isLoggedIn(desktop)).toBe(true);
  });

  it('"Sign out everywhere else" signs out every other session, needs no password, and says how many', async () => {
    await start();
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    const phone = await logIn(email, SAFARI_IPHONE);
    const desktop = await logIn(email, CHROME_WINDOWS);
    const neighbour = await registerWith(CHROME_WINDOWS);

    const res = await postForm(agent, '/account/sessions/others', {}, '/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    const after = await accountPage(agent);
    expect(flashText(after.html)).toBe('Signed out 2 other sessions. Only this device is still logged in.');
    expect(after.sessions).toHaveLength(1);
    expect(after.sessions[0]!.current).toBe(true);
    expect(await isLoggedIn(phone)).toBe(false);
    expect(await isLoggedIn(desktop)).toBe(false);
    expect(await isLoggedIn(agent)).toBe(true);
    expect(await isLoggedIn(neighbour.agent)).toBe(true); // another account is not touched
    expect(revokedEvents()).toEqual([expect.objectContaining({ count: 2 })]);

    await postForm(agent, '/account/sessions/others', {}, '/account');
    expect(flashText((await agent.get('/account')).text)).toBe('There were no other sessions to sign out.');
  });

  it("another account's session key is a 404 and signs nobody out", async () => {
    await start();
    const victim = await registerWith(FIREFOX_LINUX);
    const victimPhone = await logIn(victim.email, SAFARI_IPHONE);
    const victimKey = (await accountPage(victim.agent)).sessions.find((s) => !s.current)!.action!;
    const attacker = await registerWith(CHROME_WINDOWS);

    const page = await accountPage(attacker.agent);
    const res = await attacker.agent.post(victimKey).type('form').send({ _csrf: page.csrf });
    expect(res.status).toBe(404);
    expect(res.text).toContain('That session is not signed in any more.');
    const junk = await attacker.agent
      .post('/account/sessions/not-a-key/sign-out')
      .type('form')
      .send({ _csrf: page.csrf });
    expect(junk.status).toBe(404);
    // The attacker's own session's key is not one to sign out here either (Log out is for that).
    expect(await isLoggedIn(victimPhone)).toBe(true);
    expect(await isLoggedIn(victim.agent)).toBe(true);
    expect((await accountPage(victim.agent)).sessions).toHaveLength(2);
    expect(revokedEvents()).toEqual([]);
  });

  it('refuses both forms without the CSRF token, and signs nobody out', async () => {
    await start();
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    const phone = await logIn(email, SAFARI_IPHONE);
    const { sessions } = await accountPage(agent);
    const one = sessions.find((s) => !s.current)!.action!;
    expect((await agent.post('/account/sessions/others').type('form').send({})).status).toBe(403);
    expect((await agent.post(one).type('form').send({ _csrf: 'forged' })).status).toBe(403);
    expect(await isLoggedIn(phone)).toBe(true);
  });

  it('still works once the password checks are used up (a thief cannot stop the owner)', async () => {
    await start({ LOGIN_MAX_FAILURES_PER_EMAIL: '2' });
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    const thief = await logIn(email, SAFARI_IPHONE);
    const wrong = {
      current: 'not my password',
      password: 'a brand new sentence',
      verify: 'a brand new sentence',
    };
    for (let i = 0; i < 2; i++)
      expect((await postForm(agent, '/account/password', wrong, '/account')).status).toBe(422);
    expect((await postForm(agent, '/account/password', wrong, '/account')).status).toBe(429);

    const res = await postForm(agent, '/account/sessions/others', {}, '/account');
    expect(res.status).toBe(303);
    expect(await isLoggedIn(thief)).toBe(false);
  });

  it('leaves out sessions that have expired', async () => {
    await start();
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    await logIn(email, SAFARI_IPHONE);
    const phoneSid = await sidWhere('Safari on iPhone');
    await expireInStore(phoneSid);
    expect((await accountPage(agent)).sessions.map((s) => s.device)).toEqual(['Unknown browser']);
  });

  it('records a visit at most once an hour, and then shows how long ago it was', async () => {
    await start();
    const { agent, email } = await registerWith(FIREFOX_LINUX);
    const phone = await logIn(email, SAFARI_IPHONE);
    const phoneSid = await sidWhere('Safari on iPhone');
    expect(await isLoggedIn(phone)).toBe(true); // shows (and so removes) the welcome message: one write
    const before = await storedSession(phoneSid);
    for (let i = 0; i < 3; i++) expect(await isLoggedIn(phone)).toBe(true);
    expect(await storedSession(phoneSid)).toEqual(before); // a plain visit writes nothing

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + TOUCH_INTERVAL_MS + 60_000);
    expect(await isLoggedIn(phone)).toBe(true);
    const after = await storedSession(phoneSid);
    expect(after.seenAt).toBeGreaterThan(before.seenAt + TOUCH_INTERVAL_MS);

    vi.setSystemTime(Date.now() + 3 * 60 * 60 * 1000);
    const later = await accountPage(agent);
    expect(later.sessions.find((s) => s.device === 'Safari on iPhone')?.lastSeen).toBe('About 3 hours ago');
    vi.setSystemTime(Date.now() + 3 * 24 * 60 * 60 * 1000);
    const days = await accountPage(agent);
    expect(days.sessions.find((s) => s.device === 'Safari on iPhone')?.button).toMatch(
      / last seen \d{1,2} [A-Z][a-z]+ \d{4}$/, // the month keeps its capital
    );
    const expected = new Date(after.seenAt).toLocaleDateString('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    expect(days.sessions.find((s) => s.device === 'Safari on iPhone')?.lastSeen).toBe(expected);
  });
});

describe("with express-session's MemoryStore (what the other tests use)", () => {
  it("lists and signs out sessions through the store's all()", async () => {
    const t = await buildTestApp();
    try {
      app = t.app;
      const { agent, email } = await registerWith(FIREFOX_LINUX);
      const phone = await logIn(email, SAFARI_IPHONE);
      const page = await accountPage(agent);
      expect(page.sessions.map((s) => s.device)).toEqual(['Unknown browser', 'Safari on iPhone']);
      const res = await agent.post(page.sessions[1]!.action!).type('form').send({ _csrf: page.csrf });
      expect(res.status).toBe(303);
      expect(await isLoggedIn(phone)).toBe(false);
      const other = await registerWith(CHROME_WINDOWS);
      const stranger = await accountPage(other.agent);
      const mine = await logIn(email, SAFARI_IPHONE);
      const myKey = (await accountPage(agent)).sessions[1]!.action!;
      expect((await other.agent.post(myKey).type('form').send({ _csrf: stranger.csrf })).status).toBe(404);
      expect(await isLoggedIn(mine)).toBe(true);
    } finally {
      await t.close();
    }
  });
});

/** The stored session, as JSON, on either store. */
async function storedRows(): Promise<{ sid: string; sess: Record<string, unknown> }[]> {
  if (onPostgres) return db('sessions').select('sid', 'sess');
  const file = new Database(path.join(dataDir, 'sessions.sqlite3'), { readonly: true });
  try {
    return (file.prepare('SELECT sid, sess FROM sessions').all() as { sid: string; sess: string }[]).map(
      (row) => ({ sid: row.sid, sess: JSON.parse(row.sess) as Record<string, unknown> }),
    );
  } finally {
    file.close();
  }
}

async function sidWhere(device: string): Promise<string> {
  const found = (await storedRows()).filter((row) => row.sess.device === device);
  expect(found).toHaveLength(1);
  return found[0]!.sid;
}

async function storedSession(sid: string): Promise<{ seenAt: number; device: string; ip: string }> {
  const row = (await storedRows()).find((found) => found.sid === sid);
  return row!.sess as { seenAt: number; device: string; ip: string };
}

async function expireInStore(sid: string): Promise<void> {
  if (onPostgres) {
    await db('sessions')
      .where({ sid })
      .update({ expire: new Date(Date.now() - 1000) });
    return;
  }
  const writer = new Database(path.join(dataDir, 'sessions.sqlite3'));
  writer.prepare('UPDATE sessions SET expired = ? WHERE sid = ?').run(Date.now() - 1000, sid);
  writer.close();
}
