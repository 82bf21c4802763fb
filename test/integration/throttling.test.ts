import fs from 'node:fs';
import type { Express } from 'express';
import request from 'supertest';
import session from 'express-session';
import { afterEach, describe, expect, it } from 'vitest';
import { authMessages } from '../../src/messages/auth';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createDb, migrateToLatest } from '../../src/db/knex';
import { createLogger } from '../../src/logger';
import { createPasswords, type Passwords } from '../../src/auth/passwords';
import { buildTestApp, createMigratedDb, type TestApp } from '../helpers/test-app';
import { tempDataDir } from '../helpers/server-process';
import { csrfTokenFor, GOOD_PASSWORD, registerUser, uniqueEmail } from '../helpers/users';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

async function attempt(app: TestApp['app'], email: string, password: string) {
  const agent = request.agent(app);
  const _csrf = await csrfTokenFor(agent, '/login');
  return agent.post('/login').type('form').send({ _csrf, email, password });
}

/** The first sentence of the 429 message, which does not depend on the clock. */
const TOO_MANY_LOGINS = authMessages.tooManyLogins('X', 2).split(' try again')[0]!;

describe('login throttling', () => {
  it('answers the 11th failed attempt for one email within the window with 429, Retry-After and when to retry', async () => {
    t = await buildTestApp();
    const { email } = await registerUser(t.app);
    for (let i = 1; i <= 10; i++) {
      const res = await attempt(t.app, email, `wrong password ${i}`);
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const blocked = await attempt(t.app, email, 'wrong password 11');
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(blocked.text).toContain(escaped(TOO_MANY_LOGINS));
    expect(blocked.text).toMatch(/try again after \d{2}:\d{2} UTC \(in about 15 minutes\)/);

    // Even the right password waits, in any letter case of the email; another account does not.
    expect((await attempt(t.app, email.toUpperCase(), GOOD_PASSWORD)).status).toBe(429);
    const other = await registerUser(t.app);
    expect((await attempt(t.app, other.email, GOOD_PASSWORD)).status).toBe(303);
  });

  it('clears the count for an email after a successful login', async () => {
    t = await buildTestApp();
    const { email } = await registerUser(t.app);
    for (let i = 0; i < 9; i++) expect((await attempt(t.app, email, 'wrong password')).status).toBe(401);
    expect((await attempt(t.app, email, GOOD_PASSWORD)).status).toBe(303);
    for (let i = 0; i < 10; i++) expect((await attempt(t.app, email, 'wrong password')).status).toBe(401);
    expect((await attempt(t.app, email, 'wrong password')).status).toBe(429);
  });

  it('counts parallel guesses as they start, so a burst cannot slip past the limit', async () => {
    t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    const { email } = await registerUser(t.app);
    const app = t.app;
    const statuses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(app, email, `guess ${i}`).then((res) => res.status)),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(9);
  });

  it('counts unknown emails too, so throttling does not reveal which accounts exist', async () => {
    t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    for (let i = 0; i < 3; i++) expect((await attempt(t.app, 'nobody@example.com', 'x')).status).toBe(401);
    expect((await attempt(t.app, 'nobody@example.com', 'x')).status).toBe(429);
  });

  it('limits failed attempts from one IP address across emails (configurable)', async () => {
    t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_IP: '5' });
    const { email } = await registerUser(t.app);
    for (let i = 0; i < 5; i++) {
      expect((await attempt(t.app, uniqueEmail('guess'), 'wrong password')).status).toBe(401);
    }
    const blocked = await attempt(t.app, email, GOOD_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain(escaped(TOO_MANY_LOGINS));
  });

  it('does not count successful logins against the IP address', async () => {
    t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_IP: '3' });
    const { email } = await registerUser(t.app);
    for (let i = 0; i < 6; i++) expect((await attempt(t.app, email, GOOD_PASSWORD)).status).toBe(303);
  });

  it('rate-limits registration per IP address (configurable)', async () => {
    t = await buildTestApp({ REGISTER_MAX_PER_IP: '2' });
    await registerUser(t.app);
    await registerUser(t.app);
    const agent = request.agent(t.app);
    const _csrf = await csrfTokenFor(agent, '/register');
    const res = await agent
      .post('/register')
      .type('form')
      .send({ _csrf, email: uniqueEmail(), password: GOOD_PASSWORD, verify: GOOD_PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.text).toContain('Too many accounts were created from your network');
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 2 });
  });
});

/**
 * Two app instances, as two processes or machines would run them: each with its own knex (its
 * own SQLite connection) and its own memory session store, on one database file.
 */
async function twoInstancesOnOneDatabase(env: Record<string, string>) {
  const dataDir = tempDataDir('gid-shared-');
  const config = loadConfig({
    NODE_ENV: 'test',
    BCRYPT_ROUNDS: '4',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    ...env,
  });
  const dbs = [createDb(config.database), createDb(config.database)];
  await migrateToLatest(dbs[0]!);
  const apps = dbs.map((db) =>
    createApp({
      config,
      db,
      logger: createLogger('silent'),
      sessionStore: new session.MemoryStore(),
      sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
    }),
  ) as [Express, Express];
  const close = async () => {
    for (const db of dbs) await db.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { apps, close };
}

describe('limits shared by every instance on the database', () => {
  it('counts failed logins on one instance on the other, per email and per address', async () => {
    const { apps, close } = await twoInstancesOnOneDatabase({
      LOGIN_MAX_FAILURES_PER_EMAIL: '3',
      LOGIN_MAX_FAILURES_PER_IP: '5',
    });
    const [a, b] = apps;
    try {
      const { email } = await registerUser(a);
      expect((await attempt(a, email, 'wrong 1')).status).toBe(401);
      expect((await attempt(b, email, 'wrong 2')).status).toBe(401);
      expect((await attempt(a, email, 'wrong 3')).status).toBe(401);
      const blocked = await attempt(b, email, GOOD_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.text).toContain(escaped(TOO_MANY_LOGINS));
      expect((await attempt(a, email, GOOD_PASSWORD)).status).toBe(429);

      // The address has 5 failures now (the two refused attempts count too): the next guess at
      // any email, on either instance, waits.
      const other = await registerUser(b);
      expect((await attempt(b, other.email, GOOD_PASSWORD)).status).toBe(429);
    } finally {
      await close();
    }
  });

  it('clears the count on both when the right password is given to either', async () => {
    const { apps, close } = await twoInstancesOnOneDatabase({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    const [a, b] = apps;
    try {
      const { email } = await registerUser(a);
      for (let i = 0; i < 2; i++) expect((await attempt(a, email, 'wrong')).status).toBe(401);
      expect((await attempt(b, email, GOOD_PASSWORD)).status).toBe(303);
      for (let i = 0; i < 3; i++) expect((await attempt(a, email, 'wrong')).status).toBe(401);
      expect((await attempt(b, email, 'wrong')).status).toBe(429);
    } finally {
      await close();
    }
  });

  it('counts registrations from one address on both', async () => {
    const { apps, close } = await twoInstancesOnOneDatabase({ REGISTER_MAX_PER_IP: '2' });
    const [a, b] = apps;
    try {
      await registerUser(a);
      await registerUser(b);
      const agent = request.agent(a);
      const _csrf = await csrfTokenFor(agent, '/register');
      const res = await agent
        .post('/register')
        .type('form')
        .send({ _csrf, email: uniqueEmail(), password: GOOD_PASSWORD, verify: GOOD_PASSWORD });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await close();
    }
  });
});

describe('no user enumeration by timing', () => {
  it('limits wrong passwords on the account page per user, so a stolen session cannot guess on', async () => {
    t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/account');
    const change = (current: string) =>
      agent
        .post('/account/password')
        .type('form')
        .send({ _csrf, current, password: 'a new long passphrase', verify: 'a new long passphrase' });
    for (let i = 1; i <= 3; i++) expect((await change(`wrong ${i}`)).status, `attempt ${i}`).toBe(422);
    const blocked = await change(GOOD_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const deleting = await agent
      .post('/account/delete')
      .type('form')
      .send({ _csrf, password: GOOD_PASSWORD });
    expect(deleting.status).toBe(429);
    expect((await agent.get('/')).status).toBe(200); // still logged in, account intact
  });

  it('spends one bcrypt comparison on an unknown email, as on a wrong password', async () => {
    const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', LOG_LEVEL: 'silent' });
    const real = createPasswords(config.bcryptRounds);
    const calls: string[] = [];
    const passwords: Passwords = {
      hash: (pw) => real.hash(pw),
      verify: (pw, hash) => (calls.push('verify'), real.verify(pw, hash)),
      verifyAgainstDummy: (pw) => (calls.push('dummy'), real.verifyAgainstDummy(pw)),
      needsRehash: (hash) => real.needsRehash(hash),
    };
    const db = await createMigratedDb();
    const app = createApp({
      config,
      db,
      logger: createLogger('silent'),
      sessionStore: new session.MemoryStore(),
      sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
      passwords,
    });
    try {
      const { email } = await registerUser(app);
      const unknown = await attempt(app, 'nobody-here@example.com', 'some password');
      const wrong = await attempt(app, email, 'some password');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.text).toContain(escaped(authMessages.loginFailed));
      expect(calls).toEqual(['dummy', 'verify']);
    } finally {
      await db.destroy();
    }
  });
});

describe('no lockout of the owner', () => {
  const from = (address: string) => ({ 'x-forwarded-for': address });

  async function attemptFrom(app: TestApp['app'], address: string, email: string, password: string) {
    const agent = request.agent(app);
    const page = await agent.get('/login').set(from(address));
    const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    return agent.post('/login').set(from(address)).type('form').send({ _csrf, email, password });
  }

  it('keeps the right password working from an address that has not been failing', async () => {
    t = await buildTestApp({ TRUST_PROXY: 'loopback', LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    const { email } = await registerUser(t.app);
    for (let i = 0; i < 3; i++) {
      expect((await attemptFrom(t.app, '203.0.113.9', email, 'guess')).status).toBe(401);
    }
    // The guesser's address is stopped for this account...
    expect((await attemptFrom(t.app, '203.0.113.9', email, GOOD_PASSWORD)).status).toBe(429);
    // ...and a guesser on another address is slowed, not let through and not locking anyone out.
    expect((await attemptFrom(t.app, '198.51.100.20', email, 'guess')).status).toBe(401);
    // The owner, from their own address, logs in.
    expect((await attemptFrom(t.app, '192.0.2.44', email, GOOD_PASSWORD)).status).toBe(303);
  });

  it("limits the account page's password checks per session, so another session cannot lock the owner out", async () => {
    t = await buildTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '3' });
    const { agent: owner, email } = await registerUser(t.app);
    const thief = request.agent(t.app);
    const _csrf = await csrfTokenFor(thief, '/login');
    expect(
      (await thief.post('/login').type('form').send({ _csrf, email, password: GOOD_PASSWORD })).status,
    ).toBe(303);
    const wrongCheck = async (agent: typeof owner) => {
      const token = await csrfTokenFor(agent, '/account');
      return agent.post('/account/password').type('form').send({
        _csrf: token,
        current: 'not it',
        password: 'a new password here',
        verify: 'a new password here',
      });
    };
    for (let i = 0; i < 3; i++) expect((await wrongCheck(thief)).status).toBe(422);
    expect((await wrongCheck(thief)).status).toBe(429);
    // The owner's own session still gets a real answer.
    expect((await wrongCheck(owner)).status).toBe(422);
  });
});
