import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { authMessages } from '../../src/messages/auth';
import { useTestApp } from '../helpers/test-app';
import { csrfTokenFor, GOOD_PASSWORD, registerUser, uniqueEmail, escapeHtml } from '../helpers/users';

const t = useTestApp();

const escaped = escapeHtml;

async function submitRegister(fields: Record<string, unknown>) {
  const agent = request.agent(t.app);
  const _csrf = await csrfTokenFor(agent, '/register');
  return agent
    .post('/register')
    .type('form')
    .send({ _csrf, ...fields });
}

describe('registering', () => {
  it('shows a form with email, password and verify fields', async () => {
    const res = await request(t.app).get('/register');
    expect(res.status).toBe(200);
    for (const field of ['email', 'password', 'verify']) expect(res.text).toContain(`name="${field}"`);
    expect(res.text).toMatch(/<label for="verify">/);
  });

  it('logs the new user in and greets them on their empty list', async () => {
    const { agent } = await registerUser(t.app, 'New.Person@Example.com ');
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(escaped(authMessages.registered));
    expect(home.text).toContain('new.person@example.com');
    expect(home.text).toContain('Your list is empty');
  });

  it('refuses a malformed email with a message by the field and keeps what was typed', async () => {
    const res = await submitRegister({
      email: 'not-an-email',
      password: GOOD_PASSWORD,
      verify: GOOD_PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.emailInvalid));
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).not.toContain(GOOD_PASSWORD);
  });

  it('refuses a password shorter than 8 characters', async () => {
    const res = await submitRegister({ email: uniqueEmail(), password: 'short', verify: 'short' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.passwordTooShort));
  });

  it('refuses a password over 1,024 characters instead of truncating it', async () => {
    const long = 'long password '.repeat(74).slice(0, 1025);
    const res = await submitRegister({ email: uniqueEmail(), password: long, verify: long });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.passwordTooLong));
  });

  it('refuses a verify that does not match', async () => {
    const res = await submitRegister({
      email: uniqueEmail(),
      password: GOOD_PASSWORD,
      verify: 'something else',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.verifyMismatch));
  });

  it('refuses an email that is already registered, in any letter case', async () => {
    await registerUser(t.app, 'taken@example.com');
    const res = await submitRegister({
      email: 'TAKEN@Example.COM',
      password: GOOD_PASSWORD,
      verify: GOOD_PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(authMessages.emailTaken));
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('answers arrays where strings belong with a 422, not a crash', async () => {
    const agent = request.agent(t.app);
    const _csrf = await csrfTokenFor(agent, '/register');
    const res = await agent
      .post('/register')
      .type('form')
      .send(`_csrf=${_csrf}&email=a@example.com&email=b@example.com&password=x&password=y&verify=z`);
    expect(res.status).toBe(422);
    expect(await t.db('users').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('logging in and out', () => {
  it('logs in with the right password and regenerates the session id', async () => {
    const { email } = await registerUser(t.app);
    const agent = request.agent(t.app);
    const loginPage = await agent.get('/login');
    const before = loginPage.headers['set-cookie']?.[0]?.split(';')[0];
    const _csrf = await csrfTokenFor(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf, email: email.toUpperCase(), password: GOOD_PASSWORD });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const after = res.headers['set-cookie']?.[0]?.split(';')[0];
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(escaped(authMessages.loggedIn));
    // The pre-login session id no longer logs anyone in.
    const replay = await request(t.app).get('/').set('Cookie', before!);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toBe('/login');
  });

  it('gives one generic 401 message for a wrong password and for an unknown email', async () => {
    const { email } = await registerUser(t.app);
    const agent = request.agent(t.app);
    const _csrf = await csrfTokenFor(agent);
    const wrong = await agent.post('/login').type('form').send({ _csrf, email, password: 'wrong password!' });
    const unknown = await agent
      .post('/login')
      .type('form')
      .send({ _csrf, email: 'nobody@example.com', password: 'wrong password!' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.text).toContain(escaped(authMessages.loginFailed));
    expect(unknown.text).toContain(escaped(authMessages.loginFailed));
    expect(wrong.text).toContain(`value="${email}"`);
  });

  it('logs out with a POST, destroys the session and lands on the login page', async () => {
    const { agent } = await registerUser(t.app);
    const home = await agent.get('/');
    const cookie = home.request.cookies;
    const res = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: await csrfTokenFor(agent, '/') });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    const loginPage = await agent.get('/login');
    expect(loginPage.text).toContain(authMessages.loggedOut);
    expect((await agent.get('/')).headers.location).toBe('/login');
    // The old cookie is dead too.
    const replay = await request(t.app).get('/').set('Cookie', cookie);
    expect(replay.status).toBe(303);
  });

  it('sends anonymous visitors to the login page', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, not Secure outside production', async () => {
    const res = await request(t.app).get('/login');
    const cookie = res.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });
});
