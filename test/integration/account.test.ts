import request from 'supertest';
import type session from 'express-session';
import { describe, expect, it } from 'vitest';
import { accountMessages } from '../../src/messages/account';
import { authMessages } from '../../src/messages/auth';
import { useTestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  GOOD_PASSWORD,
  postForm,
  registerUser,
  taskNames,
  uniqueEmail,
  type Agent,
  escapeHtml,
} from '../helpers/users';

const t = useTestApp();

const escaped = escapeHtml;

const NEW_PASSWORD = 'a brand new sentence';

/** The session cookie the agent currently sends, as a Cookie header value. */
async function sessionCookie(agent: Agent): Promise<string> {
  const res = await agent.get('/account');
  const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
  if (!cookie) throw new Error('no session cookie');
  return cookie;
}

async function logIn(email: string, password: string) {
  const agent = request.agent(t.app);
  const _csrf = await csrfTokenFor(agent, '/login');
  const res = await agent.post('/login').type('form').send({ _csrf, email, password });
  return { agent, res };
}

function changePassword(agent: Agent, fields: Record<string, string>) {
  return postForm(agent, '/account/password', fields, '/account');
}

async function storedSessions(): Promise<Record<string, session.SessionData>> {
  return new Promise((resolve, reject) =>
    t.sessionStore.all!((err: unknown, all?: unknown) =>
      err ? reject(err) : resolve((all ?? {}) as Record<string, session.SessionData>),
    ),
  );
}

describe('the account page', () => {
  it('asks a visitor who is not logged in to log in', async () => {
    const res = await request(t.app).get('/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
  });

  it('shows the email, the date the account was created and the account forms, with labels', async () => {
    const { agent, email } = await registerUser(t.app);
    const res = await agent.get('/account');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<dd id="account-email">${email}</dd>`);
    const today = new Date().toLocaleDateString('en-GB', {
      timeZone: 'UTC',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    });
    expect(res.text).toContain(today);
    for (const action of ['/account/password', '/account/delete', '/account/import']) {
      expect(res.text).toContain(`action="${action}"`);
    }
    // Download buttons (GET forms): they look like buttons, so they act like buttons.
    expect(res.text).toContain(
      '<form method="get" action="/account/export.csv"><button type="submit" class="button">',
    );
    expect(res.text).toContain(
      '<form method="get" action="/account/export.json"><button type="submit" class="button">',
    );
    for (const id of [
      'current-password',
      'new-password',
      'verify-password',
      'import-file',
      'delete-password',
    ]) {
      expect(res.text).toContain(`<label for="${id}">`);
    }
    expect(res.text).toContain('enctype="multipart/form-data"');
  });

  it('is linked from the header of every page once logged in', async () => {
    const { agent } = await registerUser(t.app);
    const home = await agent.get('/');
    expect(home.text).toMatch(/<a [^>]*href="\/account"[^>]*>Account<\/a>/);
    const anonymous = await request(t.app).get('/login');
    expect(anonymous.text).not.toContain('href="/account"');
  });
});

describe('changing the password', () => {
  it('refuses a wrong current password and keeps the old one', async () => {
    const { agent, email } = await registerUser(t.app);
    const res = await changePassword(agent, {
      current: 'not my password',
      password: NEW_PASSWORD,
      verify: NEW_PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(accountMessages.currentPasswordWrong));
    expect(res.text).not.toContain(NEW_PASSWORD);
    expect((await logIn(email, GOOD_PASSWORD)).res.status).toBe(303);
    expect((await logIn(email, NEW_PASSWORD)).res.status).toBe(401);
  });

  it('requires the current password', async () => {
    const { agent } = await registerUser(t.app);
    const res = await changePassword(agent, { password: NEW_PASSWORD, verify: NEW_PASSWORD });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(accountMessages.currentPasswordRequired));
  });

  it('applies the registration rules to the new password', async () => {
    const { agent, email } = await registerUser(t.app);
    const cases: [Record<string, string>, string][] = [
      [{ password: 'short', verify: 'short' }, authMessages.passwordTooShort],
      [{ password: 'Password123', verify: 'Password123' }, authMessages.passwordCommon],
      [{ password: email.toUpperCase(), verify: email.toUpperCase() }, authMessages.passwordIsEmail],
      [{ password: NEW_PASSWORD, verify: 'something else' }, authMessages.verifyMismatch],
      [{ password: 'a'.repeat(1025), verify: 'a'.repeat(1025) }, authMessages.passwordTooLong],
    ];
    for (const [fields, message] of cases) {
      const res = await changePassword(agent, { current: GOOD_PASSWORD, ...fields });
      expect(res.status, message).toBe(422);
      expect(res.text).toContain(escaped(message));
    }
    expect((await logIn(email, GOOD_PASSWORD)).res.status).toBe(303);
  });

  it('answers arrays where strings belong with a 422, not a crash', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/account');
    const res = await agent
      .post('/account/password')
      .type('form')
      .send(`_csrf=${_csrf}&current=a&current=b&password=x&verify=y`);
    expect(res.status).toBe(422);
  });

  it('keeps this browser logged in on a new session id and logs out every other session of the user', async () => {
    const { agent, email } = await registerUser(t.app);
    const { agent: otherDevice } = await logIn(email, GOOD_PASSWORD);
    const { agent: someoneElse } = await registerUser(t.app);
    const before = await sessionCookie(agent);

    const res = await changePassword(agent, {
      current: GOOD_PASSWORD,
      password: NEW_PASSWORD,
      verify: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    const after = res.headers['set-cookie']?.[0]?.split(';')[0];
    expect(after).toBeDefined();
    expect(after).not.toBe(before);

    const page = await agent.get('/account');
    expect(page.status).toBe(200);
    expect(page.text).toContain(escaped(accountMessages.passwordChanged));

    // The old session id of this browser no longer logs anyone in.
    const replay = await request(t.app).get('/').set('Cookie', before);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/login');

    // The other device is logged out; another user is untouched.
    const other = await otherDevice.get('/');
    expect(other.status).toBe(303);
    expect(other.headers.location).toBe('/login');
    expect((await someoneElse.get('/')).status).toBe(200);

    expect((await logIn(email, NEW_PASSWORD)).res.status).toBe(303);
    expect((await logIn(email, GOOD_PASSWORD)).res.status).toBe(401);
  });

  it('logs out a session that a request in flight writes back to the store after the change', async () => {
    const { agent, email } = await registerUser(t.app);
    const { agent: otherDevice } = await logIn(email, GOOD_PASSWORD);
    const cookie = await sessionCookie(otherDevice);
    const sid = /^gid\.sid=s:([^.]+)\./.exec(decodeURIComponent(cookie))![1]!;
    const saved = await new Promise<session.SessionData>((resolve, reject) =>
      t.sessionStore.get(sid, (err: unknown, data?: session.SessionData | null) =>
        err || !data ? reject(err ?? new Error('no session')) : resolve(data),
      ),
    );

    const res = await changePassword(agent, {
      current: GOOD_PASSWORD,
      password: NEW_PASSWORD,
      verify: NEW_PASSWORD,
    });
    expect(res.status).toBe(303);
    // The other device's slow request finishes now and saves its (old) session again.
    await new Promise<void>((resolve, reject) =>
      t.sessionStore.set(sid, saved, (err?: unknown) => (err ? reject(err) : resolve())),
    );
    const other = await otherDevice.get('/');
    expect(other.status).toBe(303);
    expect(other.headers.location).toBe('/login');
    expect((await agent.get('/')).status).toBe(200);
    // Logging in again with the new password works on that device.
    expect((await logIn(email, NEW_PASSWORD)).res.status).toBe(303);
  });

  it("does not touch another user's sessions when a user changes their password", async () => {
    const alice = await registerUser(t.app);
    const bob = await registerUser(t.app);
    const { agent: bobsPhone } = await logIn(bob.email, GOOD_PASSWORD);
    await changePassword(alice.agent, {
      current: GOOD_PASSWORD,
      password: NEW_PASSWORD,
      verify: NEW_PASSWORD,
    });
    expect((await bob.agent.get('/')).status).toBe(200);
    expect((await bobsPhone.get('/')).status).toBe(200);
  });
});

describe('deleting the account', () => {
  it('refuses a wrong password and deletes nothing', async () => {
    const { agent } = await registerUser(t.app);
    await postForm(agent, '/', { task: 'keep me' });
    const res = await postForm(agent, '/account/delete', { password: 'not my password' }, '/account');
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(accountMessages.deletePasswordWrong));
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 1 });
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual(['keep me']);
  });

  it('refuses a missing password', async () => {
    const { agent } = await registerUser(t.app);
    const res = await postForm(agent, '/account/delete', {}, '/account');
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.passwordRequired));
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('deletes the user, their tasks and all their sessions, and lands on /register with a message', async () => {
    const { agent, email } = await registerUser(t.app, uniqueEmail('leaving'));
    const { agent: otherDevice } = await logIn(email, GOOD_PASSWORD);
    const stayer = await registerUser(t.app);
    await postForm(agent, '/', { task: 'mine' });
    await postForm(agent, '/', { task: 'also mine' });
    await postForm(stayer.agent, '/', { task: 'not theirs' });
    const userId = (await t.db('users').where({ email }).first<{ id: number }>('id')).id;
    const oldCookie = await sessionCookie(agent);

    const res = await postForm(agent, '/account/delete', { password: GOOD_PASSWORD }, '/account');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/register');
    const register = await agent.get('/register');
    expect(register.status).toBe(200);
    expect(register.text).toContain(escaped(accountMessages.accountDeleted));

    // Nothing of theirs remains in any table, nor in the session store.
    expect(await t.db('users').where({ email }).first()).toBeUndefined();
    expect(await t.db('tasks').where({ owner_id: userId })).toEqual([]);
    const remaining = Object.values(await storedSessions());
    expect(remaining.filter((s) => s.userId === userId)).toEqual([]);
    expect(JSON.stringify(remaining)).not.toContain(email);

    // The old session and the other device are logged out; the other user keeps their tasks.
    const replay = await request(t.app).get('/').set('Cookie', oldCookie);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/login');
    expect((await otherDevice.get('/')).headers.location).toBe('/login');
    expect(taskNames((await stayer.agent.get('/')).text, 'open')).toEqual(['not theirs']);

    // The email can be registered again, and the new account starts empty.
    const again = await registerUser(t.app, email);
    expect(taskNames((await again.agent.get('/')).text, 'open')).toEqual([]);
  });

  it('cannot be done without a CSRF token', async () => {
    const { agent } = await registerUser(t.app);
    const res = await agent.post('/account/delete').type('form').send({ password: GOOD_PASSWORD });
    expect(res.status).toBe(403);
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 1 });
  });
});

describe('password rules at registration', () => {
  async function submitRegister(email: string, password: string) {
    const agent = request.agent(t.app);
    const _csrf = await csrfTokenFor(agent, '/register');
    return agent.post('/register').type('form').send({ _csrf, email, password, verify: password });
  }

  it('refuses one of the 10,000 most common passwords, in any letter case', async () => {
    for (const password of ['password123', 'Iloveyou1', 'QWERTYUIOP', '12345678']) {
      const res = await submitRegister(uniqueEmail(), password);
      expect(res.status, password).toBe(422);
      expect(res.text).toContain(escaped(authMessages.passwordCommon));
    }
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('refuses a password equal to the email', async () => {
    const email = uniqueEmail('same');
    const res = await submitRegister(email, email.toUpperCase());
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.passwordIsEmail));
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});
