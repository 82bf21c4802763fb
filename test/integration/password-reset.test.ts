import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMailer, smtpMailer } from '../../src/mail/mailer';
import {
  PASSWORD_INPUT_MAX,
  PASSWORD_RESET_REQUESTS_PER_EMAIL,
  PASSWORD_RESET_REQUESTS_PER_IP,
  PASSWORD_RESET_TTL_MS,
} from '../../src/limits';
import { accountMessages } from '../../src/messages/account';
import { authMessages } from '../../src/messages/auth';
import { passwordResetMessages as messages } from '../../src/messages/password-reset';
import { captureLogs } from '../helpers/log-lines';
import { tempDataDir } from '../helpers/server-process';
import { linksIn, startSmtpServer, type SmtpBehaviour, type TestSmtpServer } from '../helpers/smtp-server';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import {
  csrfFrom,
  escapeHtml,
  GOOD_PASSWORD,
  postForm,
  registerUser,
  uniqueEmail,
  type Agent,
} from '../helpers/users';

const BASE_URL = 'https://todo.example.test';
const NEW_PASSWORD = 'a brand new passphrase';

let t: TestApp | undefined;
let smtp: TestSmtpServer | undefined;
let logs: ReturnType<typeof captureLogs>;

afterEach(async () => {
  vi.useRealTimers();
  await t?.background.settled();
  await t?.close();
  await smtp?.close();
  t = smtp = undefined;
});

/** The app, sending through a real SMTP server on loopback that behaves as told. */
async function appWithSmtp(behaviour: SmtpBehaviour = 'accept', timeouts?: Parameters<typeof smtpMailer>[2]) {
  smtp = await startSmtpServer(behaviour);
  logs = captureLogs();
  const server = smtp;
  t = await buildTestApp(
    { SMTP_URL: server.url, BASE_URL, MAIL_FROM: 'Get It Done! <no-reply@todo.example.test>' },
    {
      logger: logs.logger,
      mailer: (config, logger) =>
        timeouts ? smtpMailer(server.url, config.mail.from, timeouts) : createMailer(config.mail, logger),
    },
  );
  return { app: t.app, smtp: server };
}

/** The sessions in the app's store. */
const storedSessions = () =>
  new Promise<{ userId?: number }[]>((resolve, reject) =>
    t!.sessionStore.all!((err, all) =>
      err ? reject(err) : resolve(Object.values((all ?? {}) as Record<string, { userId?: number }>)),
    ),
  );

const flashOf = (html: string) =>
  [...html.matchAll(/<span class="flash__text">([^<]*)<\/span>/g)].map((m) => m[1]);

/** Asks for a reset link the way the forgot-password form does; resolves with the answer. */
async function askForLink(agent: Agent, email: string) {
  const form = await agent.get('/password/forgot');
  expect(form.status).toBe(200);
  return agent
    .post('/password/forgot')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), email });
}

/** The path of the reset link in a received email (the link itself starts with BASE_URL). */
function resetPathIn(mail: ParsedMail): string {
  const [link] = linksIn(mail);
  expect(link).toMatch(new RegExp(`^${BASE_URL}/password/reset/[A-Za-z0-9_-]{43}$`));
  return link!.slice(BASE_URL.length);
}

async function linkFor(email: string, count = 1): Promise<string> {
  const res = await askForLink(request.agent(t!.app), email);
  expect(res.status).toBe(303);
  const inbox = await smtp!.received(count);
  return resetPathIn(inbox[count - 1]!);
}

async function setNewPassword(agent: Agent, resetPath: string, password: string, verify = password) {
  const page = await agent.get(resetPath);
  if (page.status !== 200) return page;
  return agent
    .post(resetPath)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), password, verify });
}

async function logIn(email: string, password: string) {
  const agent = request.agent(t!.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password });
  return { agent, status: res.status };
}

function expectInvalidLinkPage(res: request.Response) {
  expect(res.status).toBe(404);
  expect(res.text).toContain(escapeHtml(messages.invalidLinkTitle));
  expect(res.text).toContain(escapeHtml(messages.invalidLinkText));
  expect(res.text).toContain('href="/password/forgot"');
  expect(res.text).not.toContain('name="password"');
}

describe('resetting a forgotten password by email', () => {
  it('sends a link that opens a form, sets the new password and logs the person in', async () => {
    const { app, smtp } = await appWithSmtp();
    const { email } = await registerUser(app);
    const agent = request.agent(app);

    const login = await agent.get('/login');
    expect(login.text).toMatch(/<a href="\/password\/forgot">Forgot your password\?<\/a>/);
    const form = await agent.get('/password/forgot');
    expect(form.status).toBe(200);
    expect(form.text).toContain('name="email"');
    expect(form.text).toContain('name="_csrf"');

    const asked = await agent
      .post('/password/forgot')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), email: email.toUpperCase() });
    expect(asked.status).toBe(303);
    expect(asked.headers.location).toBe('/login');
    expect(flashOf((await agent.get('/login')).text)).toEqual([escapeHtml(messages.linkSent)]);

    const [mail] = await smtp.received(1);
    expect(mail!.to).toMatchObject({ text: email });
    expect(mail!.from?.text).toBe('"Get It Done!" <no-reply@todo.example.test>');
    expect(mail!.subject).toBe(messages.mailSubject);
    expect(mail!.text).toContain('valid for 1 hour');
    expect(mail!.text).toContain('If you did not ask for this, ignore this email');
    expect(smtp.logins).toEqual(['mailer']); // with the credentials from SMTP_URL
    const resetPath = resetPathIn(mail!);

    const page = await agent.get(resetPath);
    expect(page.status).toBe(200);
    expect(page.text).toContain(escapeHtml(messages.resetLead(email)));
    expect(page.text).toContain('name="password"');
    expect(page.text).toContain('name="verify"');
    expect(page.text).toContain(`action="${resetPath}"`);
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');

    const done = await agent
      .post(resetPath)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), password: NEW_PASSWORD, verify: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/');
    expect(String(done.headers['set-cookie'])).toMatch(/(^|,)gid\.sid=s%3A/); // a session of its own

    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(escapeHtml(email));
    expect(flashOf(home.text)).toEqual([escapeHtml(messages.passwordReset)]);

    expect((await logIn(email, GOOD_PASSWORD)).status).toBe(401);
    expect((await logIn(email, NEW_PASSWORD)).status).toBe(303);
  });

  it('answers an unknown email exactly as a known one, and sends nothing', async () => {
    const { app, smtp } = await appWithSmtp();
    const { email } = await registerUser(app);
    const sessionsBefore = (await storedSessions()).length;
    const known = request.agent(app);
    const unknown = request.agent(app);
    const a = await askForLink(known, email);
    const b = await askForLink(unknown, uniqueEmail('nobody'));
    expect([b.status, b.headers.location, b.text]).toEqual([a.status, a.headers.location, a.text]);
    expect(flashOf((await unknown.get('/login')).text)).toEqual(flashOf((await known.get('/login')).text));
    await t!.background.settled();
    expect(smtp.inbox.map((mail) => mail.to)).toEqual([expect.objectContaining({ text: email })]);
    expect((await storedSessions()).length).toBe(sessionsBefore); // visitors store no session
  });

  it('shows the link is no longer valid once its hour is over', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + PASSWORD_RESET_TTL_MS + 60_000);
    const agent = request.agent(app);
    expectInvalidLinkPage(await agent.get(resetPath));
    const form = await agent.get('/password/forgot'); // any page's token will do for the post
    expectInvalidLinkPage(
      await agent
        .post(resetPath)
        .type('form')
        .send({ _csrf: csrfFrom(form.text), password: NEW_PASSWORD, verify: NEW_PASSWORD }),
    );
    vi.useRealTimers();
    expect((await logIn(email, GOOD_PASSWORD)).status).toBe(303);
  });

  it('shows the link is no longer valid once it has been used, or when it was never sent', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    const agent = request.agent(app);
    expect((await setNewPassword(agent, resetPath, NEW_PASSWORD)).status).toBe(303);
    expectInvalidLinkPage(await agent.get(resetPath));
    const again = await agent
      .post(resetPath)
      .type('form')
      .send({
        _csrf: csrfFrom((await agent.get('/')).text),
        password: 'yet another passphrase',
        verify: 'yet another passphrase',
      });
    expectInvalidLinkPage(again);
    expect((await logIn(email, NEW_PASSWORD)).status).toBe(303);

    expectInvalidLinkPage(await agent.get(`/password/reset/${'A'.repeat(43)}`));
    expectInvalidLinkPage(await agent.get('/password/reset/not-a-token'));
  });

  it('gives a browser signed in to another account a new session, for the account whose link it used', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const { agent: shared } = await registerUser(app); // a shared computer, someone else signed in
    const oldSession = String((await shared.get('/')).headers['set-cookie']).match(/gid\.sid=[^;]+/)?.[0];
    expect(oldSession).toBeDefined();
    const resetPath = await linkFor(email);
    expect((await setNewPassword(shared, resetPath, NEW_PASSWORD)).status).toBe(303);
    const home = await shared.get('/');
    expect(home.text).toContain(`<span class="account-nav__email">${escapeHtml(email)}</span>`);
    const replayed = await request(app).get('/').set('Cookie', oldSession!);
    expect([replayed.status, replayed.headers.location]).toEqual([303, '/login']);
  });

  it('lets only one of two simultaneous posts with the same link change the password', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    const first = request.agent(app);
    const second = request.agent(app);
    const [page1, page2] = [await first.get(resetPath), await second.get(resetPath)];
    const [res1, res2] = await Promise.all([
      first
        .post(resetPath)
        .type('form')
        .send({
          _csrf: csrfFrom(page1.text),
          password: 'first new passphrase',
          verify: 'first new passphrase',
        }),
      second
        .post(resetPath)
        .type('form')
        .send({
          _csrf: csrfFrom(page2.text),
          password: 'second new passphrase',
          verify: 'second new passphrase',
        }),
    ]);
    expect([res1.status, res2.status].sort()).toEqual([303, 404]);
    const winner = res1.status === 303 ? 'first new passphrase' : 'second new passphrase';
    const loser = res1.status === 303 ? 'second new passphrase' : 'first new passphrase';
    expect((await logIn(email, winner)).status).toBe(303);
    expect((await logIn(email, loser)).status).toBe(401);
  });

  it('makes the first link stop working when a second one is asked for', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const firstLink = await linkFor(email, 1);
    const secondLink = await linkFor(email, 2);
    expect(secondLink).not.toBe(firstLink);
    expectInvalidLinkPage(await request(app).get(firstLink));
    expect((await setNewPassword(request.agent(app), secondLink, NEW_PASSWORD)).status).toBe(303);
  });

  it('makes sent links stop working when the password is changed on the account page', async () => {
    const { app } = await appWithSmtp();
    const { agent, email } = await registerUser(app);
    const resetPath = await linkFor(email);
    const changed = await postForm(
      agent,
      '/account/password',
      { current: GOOD_PASSWORD, password: NEW_PASSWORD, verify: NEW_PASSWORD },
      '/account',
    );
    expect(changed.status).toBe(303);
    expect(flashOf((await agent.get('/account')).text)).toEqual([
      escapeHtml(accountMessages.passwordChanged),
    ]);
    expectInvalidLinkPage(await request(app).get(resetPath));
  });

  it('signs out every other session of the account', async () => {
    const { app } = await appWithSmtp();
    const { agent: laptop, email } = await registerUser(app);
    const { agent: phone } = await logIn(email, GOOD_PASSWORD);
    const { agent: someoneElse } = await registerUser(app);
    expect((await phone.get('/')).status).toBe(200);
    const resetPath = await linkFor(email);
    const browser = request.agent(app);
    expect((await setNewPassword(browser, resetPath, NEW_PASSWORD)).status).toBe(303);
    for (const other of [laptop, phone]) {
      const res = await other.get('/');
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
    }
    expect((await browser.get('/')).status).toBe(200);
    expect((await someoneElse.get('/')).status).toBe(200);
    const stored = await storedSessions();
    const { id: userId } = await t!.db('users').where({ email }).first<{ id: number }>('id');
    expect(stored.filter((s) => s.userId === userId)).toHaveLength(1); // only the browser that reset it
  });

  it(`sends at most ${PASSWORD_RESET_REQUESTS_PER_EMAIL} emails per account per window, answering the same after`, async () => {
    const { app, smtp } = await appWithSmtp();
    const { email } = await registerUser(app);
    const answers = [];
    for (let i = 0; i <= PASSWORD_RESET_REQUESTS_PER_EMAIL; i++) {
      const agent = request.agent(app);
      const res = await askForLink(agent, email);
      answers.push([res.status, res.headers.location, flashOf((await agent.get('/login')).text)]);
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    await t!.background.settled();
    expect(smtp.inbox).toHaveLength(PASSWORD_RESET_REQUESTS_PER_EMAIL);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ event: 'auth.throttled', path: '/password/forgot' }),
    );
  });

  it(`takes at most ${PASSWORD_RESET_REQUESTS_PER_IP} requests per address per window, answering the same after`, async () => {
    const { app, smtp } = await appWithSmtp();
    const { email } = await registerUser(app);
    const agent = request.agent(app);
    for (let i = 0; i < PASSWORD_RESET_REQUESTS_PER_IP; i++) {
      expect((await askForLink(agent, uniqueEmail('spray'))).status).toBe(303);
    }
    const over = await askForLink(agent, email);
    expect([over.status, over.headers.location]).toEqual([303, '/login']);
    expect(flashOf((await agent.get('/login')).text)).toEqual([escapeHtml(messages.linkSent)]);
    await t!.background.settled();
    expect(smtp.inbox).toEqual([]);
  });

  it('refuses both forms without the page’s _csrf (403), sending nothing and keeping the link', async () => {
    const { app, smtp } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    const visitor = request.agent(app);
    await visitor.get('/password/forgot');
    for (const token of [undefined, 'wrong-token']) {
      const extra = token ? { _csrf: token } : {};
      const forgot = await visitor
        .post('/password/forgot')
        .type('form')
        .send({ email, ...extra });
      expect(forgot.status).toBe(403);
      const reset = await visitor
        .post(resetPath)
        .type('form')
        .send({ password: NEW_PASSWORD, verify: NEW_PASSWORD, ...extra });
      expect(reset.status).toBe(403);
    }
    await t!.background.settled();
    expect(smtp.inbox).toHaveLength(1);
    expect((await logIn(email, GOOD_PASSWORD)).status).toBe(303);
    expect((await visitor.get(resetPath)).status).toBe(200);
  });

  it('stores no session for visitors looking at the forgot and reset pages', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    const before = (await storedSessions()).length;
    for (let i = 0; i < 5; i++) {
      for (const path of ['/password/forgot', resetPath, '/password/reset/not-a-token'])
        await request(app).get(path);
    }
    expect((await storedSessions()).length).toBe(before);
  });

  it('refuses a malformed email with a 422 by the field, keeping what was typed', async () => {
    const { app, smtp } = await appWithSmtp();
    const res = await askForLink(request.agent(app), 'not an email');
    expect(res.status).toBe(422);
    expect(res.text).toMatch(
      new RegExp(
        `id="email-error"><span aria-hidden="true">⚠ </span>${escapeHtml(authMessages.emailInvalid).replace(/\./g, '\\.')}`,
      ),
    );
    expect(res.text).toContain('value="not an email"');
    await t!.background.settled();
    expect(smtp.inbox).toEqual([]);
  });

  it('holds a new password to the registration rules, with each message by its field (and keeps the link)', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    const agent = request.agent(app);
    const cases = [
      { password: 'tiny-pw', verify: 'tiny-pw', field: 'password', message: authMessages.passwordTooShort },
      {
        password: 'password123',
        verify: 'password123',
        field: 'password',
        message: authMessages.passwordCommon,
      },
      {
        password: email.toUpperCase(),
        verify: email.toUpperCase(),
        field: 'password',
        message: authMessages.passwordIsEmail,
      },
      {
        password: 'x'.repeat(PASSWORD_INPUT_MAX + 1),
        verify: 'x'.repeat(PASSWORD_INPUT_MAX + 1),
        field: 'password',
        message: authMessages.passwordTooLong,
      },
      {
        password: NEW_PASSWORD,
        verify: 'something else',
        field: 'verify',
        message: authMessages.verifyMismatch,
      },
    ];
    for (const { password, verify, field, message } of cases) {
      const res = await setNewPassword(agent, resetPath, password, verify);
      expect(res.status, `${password} / ${verify}`).toBe(422);
      expect(res.text).toContain(
        `<p class="field__error" id="${field}-error"><span aria-hidden="true">⚠ </span>${escapeHtml(message)}</p>`,
      );
      expect(res.text).toContain(
        `aria-describedby="${field === 'password' ? 'password-hint password-error' : 'verify-error'}"`,
      );
      expect(res.text).not.toContain(escapeHtml(password)); // passwords are never echoed
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const missing = await agent
      .post(resetPath)
      .type('form')
      .send({ _csrf: csrfFrom((await agent.get(resetPath)).text) });
    expect(missing.status).toBe(422);
    expect((await setNewPassword(agent, resetPath, NEW_PASSWORD)).status).toBe(303);
  });

  it('still answers 303 when the SMTP server refuses the message, and logs why without the address', async () => {
    const { app, smtp } = await appWithSmtp('reject');
    const { email } = await registerUser(app);
    const agent = request.agent(app);
    const res = await askForLink(agent, email);
    expect([res.status, res.headers.location]).toEqual([303, '/login']);
    expect(flashOf((await agent.get('/login')).text)).toEqual([escapeHtml(messages.linkSent)]);
    await t!.background.settled();
    expect(smtp.connections.opened).toBe(1);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        event: 'password.reset.mail_failed',
        err: expect.objectContaining({ code: 'EENVELOPE', responseCode: 550 }),
      }),
    );
    expect(logs.text()).not.toContain(email);
  });

  it('still answers 303 when the SMTP server closes the connection', async () => {
    const { app, smtp } = await appWithSmtp('close');
    const { email } = await registerUser(app);
    const res = await askForLink(request.agent(app), email);
    expect([res.status, res.headers.location]).toEqual([303, '/login']);
    await t!.background.settled();
    expect(smtp.connections.opened).toBe(1);
    expect(logs.lines).toContainEqual(expect.objectContaining({ event: 'password.reset.mail_failed' }));
  });

  it('answers at once and keeps serving while the SMTP server hangs; the send gives up after its timeout', async () => {
    const { app, smtp } = await appWithSmtp('hang', { connectionMs: 300, greetingMs: 300, socketMs: 300 });
    const { email } = await registerUser(app);
    const res = await askForLink(request.agent(app), email);
    expect([res.status, res.headers.location]).toEqual([303, '/login']);
    await smtp.connected(); // the mailer now waits on a server that says nothing...
    expect((await request(app).get('/login')).status).toBe(200); // ...and the app does not
    expect(logs.lines.some((line) => line.event === 'password.reset.mail_failed')).toBe(false);
    await t!.background.settled();
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        event: 'password.reset.mail_failed',
        err: expect.objectContaining({ code: 'ETIMEDOUT' }),
      }),
    );
  });

  it('logs the request and the use with the user id and address, never the email, password or token', async () => {
    const { app } = await appWithSmtp();
    const { email } = await registerUser(app);
    const resetPath = await linkFor(email);
    await askForLink(request.agent(app), uniqueEmail('nobody'));
    expect((await setNewPassword(request.agent(app), resetPath, NEW_PASSWORD)).status).toBe(303);
    await t!.background.settled();
    const { id: userId } = await t!.db('users').where({ email }).first<{ id: number }>('id');
    const events = logs.lines.filter((line) => String(line.event).startsWith('password.reset'));
    expect(events).toEqual([
      expect.objectContaining({
        event: 'password.reset.requested',
        userId,
        ip: expect.stringMatching(/127\.0\.0\.1/),
      }),
      expect.objectContaining({
        event: 'password.reset.requested',
        ip: expect.stringMatching(/127\.0\.0\.1/),
      }),
      expect.objectContaining({
        event: 'password.reset.used',
        userId,
        ip: expect.stringMatching(/127\.0\.0\.1/),
      }),
    ]);
    expect(events[1]).not.toHaveProperty('userId'); // no such account
    const token = resetPath.split('/').pop()!;
    const everything = logs.text();
    expect(everything).toContain('"url":"/password/reset/[token]"');
    for (const secret of [email, token, NEW_PASSWORD, GOOD_PASSWORD])
      expect(everything).not.toContain(secret);
  });
});

describe('password reset without SMTP_URL', () => {
  it('writes the email to DATA_DIR/outbox outside production, and its link works', async () => {
    const dataDir = tempDataDir('gid-reset-outbox-');
    logs = captureLogs();
    t = await buildTestApp(
      { DATA_DIR: dataDir, BASE_URL },
      { logger: logs.logger, mailer: (config, logger) => createMailer(config.mail, logger) },
    );
    const { email } = await registerUser(t.app);
    expect((await askForLink(request.agent(t.app), email)).status).toBe(303);
    await t.background.settled();
    const outbox = path.join(dataDir, 'outbox');
    const files = fs.readdirSync(outbox);
    expect(files).toHaveLength(1);
    const file = path.join(outbox, files[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(logs.lines).toContainEqual(expect.objectContaining({ event: 'mail.outbox', file }));
    const mail = await simpleParser(fs.readFileSync(file));
    expect(mail.to).toMatchObject({ text: email });
    expect((await setNewPassword(request.agent(t.app), resetPathIn(mail), NEW_PASSWORD)).status).toBe(303);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('in production, says recovery is not set up, offers no form and sends nothing', async () => {
    const dataDir = tempDataDir('gid-reset-none-');
    t = await buildTestApp(
      { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32), DATA_DIR: dataDir, TRUST_PROXY: 'loopback' },
      { mailer: (config, logger) => createMailer(config.mail, logger) },
    );
    // Production cookies are Secure: the requests come as from the TLS proxy in front, with the
    // cookies carried by hand (supertest's agent keeps Secure cookies off plain HTTP).
    const jar = new Map<string, string>();
    const viaProxy = async (req: request.Test) => {
      const res = await req
        .set('X-Forwarded-Proto', 'https')
        .set('Cookie', [...jar].map(([name, value]) => `${name}=${value}`).join('; '));
      for (const line of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
        const [pair] = line.split(';');
        jar.set(pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1));
      }
      return res;
    };
    const login = await viaProxy(request(t.app).get('/login'));
    const page = await viaProxy(request(t.app).get('/password/forgot'));
    expect(page.status).toBe(200);
    expect(page.text).toContain(escapeHtml(messages.notConfigured));
    expect(page.text).not.toContain('name="email"');
    const res = await viaProxy(
      request(t.app)
        .post('/password/forgot')
        .type('form')
        .send({ _csrf: csrfFrom(login.text), email: 'someone@example.com' }),
    );
    expect([res.status, res.headers.location]).toEqual([303, '/login']);
    const next = await viaProxy(request(t.app).get('/login'));
    expect(flashOf(next.text)).toEqual([escapeHtml(messages.notConfigured)]);
    await t.background.settled();
    expect(fs.existsSync(path.join(dataDir, 'outbox'))).toBe(false);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
