import { Writable } from 'node:stream';
import bcrypt from 'bcrypt';
import request from 'supertest';
import session from 'express-session';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app';
import { createPasswords } from '../../src/auth/passwords';
import { loadConfig } from '../../src/config';
import { authMessages } from '../../src/messages/auth';
import { taskMessages } from '../../src/messages/tasks';
import { buildTestApp, createMigratedDb, useTestApp, type TestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  escapeHtml,
  GOOD_PASSWORD,
  postForm,
  registerUser,
  registerUserWithTasks,
  taskNames,
  uniqueEmail,
} from '../helpers/users';

const t = useTestApp();

async function logIn(app: TestApp['app'], email: string, password: string) {
  const agent = request.agent(app);
  const _csrf = await csrfTokenFor(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf, email, password });
  return { agent, res };
}

describe('headers', () => {
  it('turns off browser features the app never uses (Permissions-Policy)', async () => {
    const res = await request(t.app).get('/login');
    expect(res.headers['permissions-policy']).toMatch(/camera=\(\)/);
    expect(res.headers['permissions-policy']).toMatch(/geolocation=\(\)/);
  });
});

describe('cross-site posts', () => {
  it('refuses a post the browser marks as cross-site, even with a valid token, and changes nothing', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ]) {
      const res = await agent.post('/').set(headers).type('form').send({ _csrf, task: 'forged' });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.text).toContain('did not come from this site');
    }
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual([]);
  });

  it('accepts the same post from this site', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    const sameOrigin = await agent
      .post('/')
      .set('sec-fetch-site', 'same-origin')
      .type('form')
      .send({ _csrf, task: 'Mine' });
    expect(sameOrigin.status).toBe(303);
    const byOrigin = await agent
      .post('/')
      .set('host', 'todo.example')
      .set('origin', 'http://todo.example')
      .type('form')
      .send({ _csrf, task: 'Also mine' });
    expect(byOrigin.status).toBe(303);
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual(['Mine', 'Also mine']);
  });
});

describe('task names', () => {
  it('refuses control characters, direction overrides and names with nothing visible (422, nothing added)', async () => {
    const { agent } = await registerUser(t.app);
    const cases: [string, string][] = [
      ['bell\u0007', taskMessages.taskControlCharacters],
      ['c1 \u0085 control', taskMessages.taskControlCharacters],
      ['invoice \u202egnp.exe', taskMessages.taskBidiControls],
      ['isolate \u2066x\u2069', taskMessages.taskBidiControls],
      ['\u200b\u200b\u200d', taskMessages.taskInvisible],
      ['\u2060\ufe0f', taskMessages.taskInvisible],
    ];
    for (const [task, message] of cases) {
      const res = await postForm(agent, '/', { task });
      expect(res.status, JSON.stringify(task)).toBe(422);
      expect(res.text).toContain(escapeHtml(message));
    }
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual([]);
    expect((await postForm(agent, '/', { task: 'Café ☕ 😀 עברית' })).status).toBe(303);
  });
});

describe('passwords of any script and length', () => {
  it('registers and logs in with a 25-character CJK password, and a long one counts to its last character', async () => {
    const cjk = '我们明天早上八点在火车站门口见面然后一起去山上看日出吧';
    expect(cjk.length).toBeGreaterThanOrEqual(25);
    const { email } = await registerUser(t.app, uniqueEmail(), cjk);
    expect((await logIn(t.app, email, cjk)).res.status).toBe(303);

    const long = 'a sentence that goes on '.repeat(10); // 240 bytes
    const second = await registerUser(t.app, uniqueEmail(), long);
    expect((await logIn(t.app, second.email, long)).res.status).toBe(303);
    // bcrypt alone would ignore everything after byte 72: here a changed tail is a wrong password.
    expect((await logIn(t.app, second.email, `${long.slice(0, 72)}something else`)).res.status).toBe(401);
  });

  it('logs in with the same password typed in another Unicode form (NFD for NFC)', async () => {
    const nfc = 'crème brûlée déjà vu';
    const { email } = await registerUser(t.app, uniqueEmail(), nfc);
    expect((await logIn(t.app, email, nfc.normalize('NFD'))).res.status).toBe(303);
  });

  it('keeps an account with an old plain-bcrypt hash working, and upgrades its hash at the next login', async () => {
    const email = uniqueEmail('legacy');
    const legacy = await bcrypt.hash(GOOD_PASSWORD, 4);
    await t.db('users').insert({ email, password_hash: legacy });
    expect((await logIn(t.app, email, 'not the password')).res.status).toBe(401);
    expect((await logIn(t.app, email, GOOD_PASSWORD)).res.status).toBe(303);
    const { password_hash: upgraded } = await t.db('users').where({ email }).first('password_hash');
    expect(upgraded).toMatch(/^\$sha256\$\$2b\$/);
    expect((await logIn(t.app, email, GOOD_PASSWORD)).res.status).toBe(303);
  });

  it('mixes PASSWORD_PEPPER into new hashes', async () => {
    const peppered = await buildTestApp({ PASSWORD_PEPPER: 'p'.repeat(40) });
    try {
      const { email } = await registerUser(peppered.app);
      const { password_hash: hash } = await peppered.db('users').where({ email }).first('password_hash');
      expect(hash).toMatch(/^\$hmac-sha256\$\$2b\$/);
      expect((await logIn(peppered.app, email, GOOD_PASSWORD)).res.status).toBe(303);
    } finally {
      await peppered.close();
    }
  });
});

describe('a full bcrypt queue', () => {
  it('answers a fast 503 with Retry-After instead of queueing without end', async () => {
    const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '10', LOG_LEVEL: 'silent' });
    const db = await createMigratedDb();
    const app = createApp({
      config,
      db,
      logger: pino({ level: 'silent' }),
      sessionStore: new session.MemoryStore(),
      sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
      passwords: createPasswords(config.bcryptRounds, { maxConcurrent: 1, maxWaitMs: 1 }),
    });
    try {
      // One check first, so the queue knows how long a hash takes here.
      expect((await logIn(app, uniqueEmail(), 'some password')).res.status).toBe(401);
      const attempts = await Promise.all(
        Array.from({ length: 6 }, async () => (await logIn(app, uniqueEmail(), 'some password')).res),
      );
      const busy = attempts.filter((res) => res.status === 503);
      expect(busy.length).toBeGreaterThan(0);
      expect(attempts.filter((res) => res.status === 401).length).toBeGreaterThan(0);
      for (const res of busy) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.text).toContain(escapeHtml(authMessages.busy));
      }
    } finally {
      await db.destroy();
    }
  });
});

describe('sessions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('ends a login after SESSION_MAX_AGE_DAYS however often it is used', async () => {
    const app = await buildTestApp({ SESSION_MAX_AGE_DAYS: '30' });
    try {
      const { agent } = await registerUser(app.app);
      const start = Date.now();
      const day = 24 * 60 * 60 * 1000;
      const at = (days: number) => vi.spyOn(Date, 'now').mockReturnValue(start + days * day);
      for (const days of [10, 20, 29]) {
        at(days);
        expect((await agent.get('/')).status, `day ${days}`).toBe(200);
      }
      at(31);
      const res = await agent.get('/');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
    } finally {
      await app.close();
    }
  });

  it('stores nothing for visitors: a flood of anonymous requests leaves the session store empty', async () => {
    const store = t.sessionStore as session.MemoryStore;
    const count = () => new Promise<number>((resolve) => store.length((_err, n) => resolve(n ?? 0)));
    for (let i = 0; i < 40; i++) {
      for (const path of ['/', '/login', '/register', '/account', '/no-such-page', '/account/export.csv']) {
        await request(t.app).get(path);
      }
    }
    expect(await count()).toBe(0);
    // The hint still reaches the visitor who follows the redirect, and the forms still work.
    const agent = request.agent(t.app);
    expect((await agent.get('/')).headers.location).toBe('/login');
    expect((await agent.get('/login')).text).toContain(escapeHtml(authMessages.loginRequired));
    expect((await agent.get('/login')).text).not.toContain(escapeHtml(authMessages.loginRequired));
    expect(await count()).toBe(0);
    const { agent: user } = await registerUser(t.app);
    expect(await count()).toBe(1);
    await postForm(user, '/logout');
    expect(await count()).toBe(0);
    expect((await user.get('/login')).text).toContain(escapeHtml(authMessages.loggedOut));
  });

  it("refuses a visitor's form whose token is not the one in its cookie, or not ours", async () => {
    const visitor = request.agent(t.app);
    const token = await csrfTokenFor(visitor, '/login');
    const { email } = await registerUser(t.app);
    const other = request.agent(t.app);
    const othersToken = await csrfTokenFor(other, '/login');
    for (const _csrf of [othersToken, `${token}x`, 'made.up']) {
      const res = await visitor.post('/login').type('form').send({ _csrf, email, password: GOOD_PASSWORD });
      expect(res.status, _csrf).toBe(403);
    }
    const forged = await request(t.app)
      .post('/login')
      .set('cookie', 'gid.csrf=made.up')
      .type('form')
      .send({ _csrf: 'made.up', email, password: GOOD_PASSWORD });
    expect(forged.status).toBe(403);
    const res = await visitor
      .post('/login')
      .type('form')
      .send({ _csrf: token, email, password: GOOD_PASSWORD });
    expect(res.status).toBe(303);
  });
});

describe('the 503 page', () => {
  it('renders as a normal page for a signed-in user when the database is unavailable', async () => {
    const { agent } = await registerUserWithTasks(t.app, 'Something');
    const unavailable = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    // The user's row still loads (so the page has a signed-in header); the task list does not.
    const client = t.db.client as { acquireConnection(): Promise<unknown> };
    const acquire = client.acquireConnection.bind(client);
    let queries = 0;
    vi.spyOn(client, 'acquireConnection').mockImplementation(() =>
      ++queries === 1 ? acquire() : Promise.reject(unavailable),
    );
    const res = await agent.get('/');
    vi.restoreAllMocks();
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.text).toContain('Busy for a moment');
    expect(res.text).toContain('<link rel="stylesheet"');
    expect(res.text).toContain('Log out');
  });
});

describe('security events', () => {
  it('log the address and the account id of sign-ins, failures and sign-outs, never the email', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', LOG_LEVEL: 'info' });
    const db = await createMigratedDb();
    const app = createApp({
      config,
      db,
      logger: pino({ level: 'info' }, sink),
      sessionStore: new session.MemoryStore(),
      sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
      passwords: createPasswords(4),
    });
    try {
      const { email } = await registerUser(app);
      await logIn(app, email, 'wrong password');
      const { agent } = await logIn(app, email, GOOD_PASSWORD);
      await postForm(agent, '/logout');
      const events = lines.filter((line) => typeof line.event === 'string');
      const byName = (name: string) => events.find((line) => line.event === name);
      const user = await db('users').where({ email }).first('id');
      for (const name of ['auth.fail', 'auth.ok', 'auth.logout']) {
        expect(byName(name), name).toMatchObject({
          userId: user.id,
          ip: expect.stringMatching(/127\.0\.0\.1/),
        });
      }
      expect(JSON.stringify(lines)).not.toContain(email);
      expect(JSON.stringify(lines)).not.toContain(GOOD_PASSWORD);
    } finally {
      await db.destroy();
    }
  });
});
