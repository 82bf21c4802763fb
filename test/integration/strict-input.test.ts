import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EMAIL_MAX, TASK_NAME_MAX } from '../../src/limits';
import { accountMessages } from '../../src/messages/account';
import { authMessages } from '../../src/messages/auth';
import { importMessages } from '../../src/messages/import';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
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

// What PostgreSQL refuses and SQLite stores without a word (ids beyond int4, NUL in text, text
// longer than its column) is refused by the app first, with the same answer on both databases:
// a 404 for an id that cannot exist, a 422 with a message by the field for text, never a 5xx.

const t = useTestApp();

const NUL = '\u0000';
const INT4_MAX = 2_147_483_647;

/** The message shown under a form field (the field-error partial), as the user reads it. */
function fieldError(html: string, id: string): string | undefined {
  const found = new RegExp(`<p class="field__error" id="${id}">[\\s\\S]*?</span>([^<]*)</p>`).exec(html);
  return found?.[1];
}

const userCount = async () => Number((await t.db('users').count({ n: '*' }).first())?.n);
const taskCount = async () => Number((await t.db('tasks').count({ n: '*' }).first())?.n);

describe('ids that cannot be ids', () => {
  const tooBig = [String(INT4_MAX + 1), '9999999999', '99999999999999999999', '1e3', '0x1F', '-1', '007'];

  it('answer 404 on every task route, for ids beyond int4 and for what is not an id', async () => {
    const { agent, ids } = await registerUserWithTasks(t.app, 'Mine');
    for (const id of [String(INT4_MAX), ...tooBig]) {
      for (const action of ['complete', 'reopen', 'edit', 'delete', 'undo-delete']) {
        const res = await postForm(agent, `/tasks/${id}/${action}`, { name: 'renamed' });
        expect(res.status, `${action} ${id}`).toBe(404);
      }
      const legacy = await postForm(agent, '/delete-task', { 'task-id': id });
      expect(legacy.status, `/delete-task ${id}`).toBe(404);
    }
    // …and the same as JSON, for the enhancing script.
    const _csrf = await csrfTokenFor(agent, '/');
    const json = await agent
      .post(`/tasks/${INT4_MAX + 1}/complete`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf });
    expect(json.status).toBe(404);
    expect(json.body.error.message).toBe(taskMessages.taskNotFound);
    // Nothing changed, and the real task still works.
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual(['Mine']);
    expect((await postForm(agent, `/tasks/${ids[0]}/complete`)).status).toBe(303);
  });

  it('in the home page address are ignored, not an error', async () => {
    const { agent } = await registerUserWithTasks(t.app, 'Still here');
    for (const id of tooBig) {
      for (const query of [`edit=${id}`, `open_after=${id}`, `done_after=${id}`]) {
        const res = await agent.get(`/?${query}`);
        expect(res.status, query).toBe(200);
        expect(taskNames(res.text, 'open'), query).toEqual(['Still here']);
      }
    }
    // The largest id there can be is a valid id, but no task of this user's: in the user's own
    // order a page continues after its cursor task, and a cursor that is gone gives the first page.
    const last = await agent.get(`/?open_after=${INT4_MAX}`);
    expect(last.status).toBe(200);
    expect(taskNames(last.text, 'open')).toEqual(['Still here']);
  });
});

describe('a NUL character in a text field', () => {
  it('is refused on registration by the email and by the password field, and no account is made', async () => {
    const anonymous = request.agent(t.app);
    const _csrf = await csrfTokenFor(anonymous, '/register');
    const withNulEmail = await anonymous
      .post('/register')
      .type('form')
      .send({ _csrf, email: `nul${NUL}@example.com`, password: GOOD_PASSWORD, verify: GOOD_PASSWORD });
    expect(withNulEmail.status).toBe(422);
    expect(fieldError(withNulEmail.text, 'email-error')).toBe(escapeHtml(authMessages.emailInvalid));

    const password = `correct${NUL}horse battery`;
    const withNulPassword = await anonymous
      .post('/register')
      .type('form')
      .send({ _csrf, email: uniqueEmail(), password, verify: password });
    expect(withNulPassword.status).toBe(422);
    expect(fieldError(withNulPassword.text, 'password-error')).toBe(escapeHtml(authMessages.passwordNul));
    expect(await userCount()).toBe(0);
  });

  it('makes a login fail with the usual 401 "do not match" answer (a malformed login form always does)', async () => {
    const { email } = await registerUser(t.app);
    const visitor = request.agent(t.app);
    for (const fields of [
      { email: `${email}${NUL}`, password: GOOD_PASSWORD },
      { email, password: `${GOOD_PASSWORD}${NUL}` },
    ]) {
      const _csrf = await csrfTokenFor(visitor, '/login');
      const res = await visitor
        .post('/login')
        .type('form')
        .send({ _csrf, ...fields });
      expect(res.status).toBe(401);
      expect(res.text).toContain(escapeHtml(authMessages.loginFailed));
    }
  });

  it('is refused by the field on the password change, and the password stays', async () => {
    const { agent, email } = await registerUser(t.app);
    const current = await postForm(
      agent,
      '/account/password',
      { current: `${GOOD_PASSWORD}${NUL}`, password: 'a brand new sentence', verify: 'a brand new sentence' },
      '/account',
    );
    expect(current.status).toBe(422);
    expect(fieldError(current.text, 'current-error')).toBe(escapeHtml(authMessages.passwordNul));

    const next = `a brand${NUL}new sentence`;
    const fresh = await postForm(
      agent,
      '/account/password',
      { current: GOOD_PASSWORD, password: next, verify: next },
      '/account',
    );
    expect(fresh.status).toBe(422);
    expect(fieldError(fresh.text, 'new-password-error')).toBe(escapeHtml(authMessages.passwordNul));

    // The old password still logs in.
    const visitor = request.agent(t.app);
    const _csrf = await csrfTokenFor(visitor, '/login');
    const login = await visitor.post('/login').type('form').send({ _csrf, email, password: GOOD_PASSWORD });
    expect(login.status).toBe(303);
  });

  it('is refused by the field when confirming an account deletion, and the account stays', async () => {
    const { agent } = await registerUser(t.app);
    const res = await postForm(agent, '/account/delete', { password: `${GOOD_PASSWORD}${NUL}` }, '/account');
    expect(res.status).toBe(422);
    expect(fieldError(res.text, 'delete-error')).toBe(escapeHtml(authMessages.passwordNul));
    expect(res.text).not.toContain(accountMessages.accountDeleted);
    expect(await userCount()).toBe(1);
    expect((await agent.get('/')).status).toBe(200);
  });

  it('is refused in a new task and in a rename, by the field, keeping the task as it was', async () => {
    const { agent, ids } = await registerUserWithTasks(t.app, 'Water the plants');
    const added = await postForm(agent, '/', { task: `Buy${NUL}milk` });
    expect(added.status).toBe(422);
    expect(fieldError(added.text, 'task-error')).toBe(escapeHtml(taskMessages.taskControlCharacters));

    const renamed = await postForm(agent, `/tasks/${ids[0]}/edit`, { name: `Water${NUL}` });
    expect(renamed.status).toBe(422);
    expect(fieldError(renamed.text, `edit-error-${ids[0]}`)).toBe(
      escapeHtml(taskMessages.taskControlCharacters),
    );

    const _csrf = await csrfTokenFor(agent, '/');
    const json = await agent
      .post('/')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, task: NUL });
    expect(json.status).toBe(422);
    expect(json.body.error).toMatchObject({ field: 'task', message: taskMessages.taskControlCharacters });

    expect(taskNames((await agent.get('/')).text, 'open')).toEqual(['Water the plants']);
    expect(await taskCount()).toBe(1);
  });

  it('in an import file refuses the whole file with a 422 by the file field (a UTF-16 file is full of them)', async () => {
    const { agent } = await registerUser(t.app);
    const files = [
      Buffer.from(`name,completed\nFine,false\nBad${NUL}cell,false\n`, 'utf8'),
      Buffer.from('name,completed\nFine,false\n', 'utf16le'), // no byte-order mark: valid UTF-8
      Buffer.from(`[{"name":"Fine"},{"name":"Bad${NUL}"}]`, 'utf8'),
    ];
    for (const file of files) {
      const _csrf = await csrfTokenFor(agent, '/account');
      const res = await agent.post('/account/import').field('_csrf', _csrf).attach('file', file, 'tasks.csv');
      expect(res.status).toBe(422);
      expect(fieldError(res.text, 'import-error')).toBe(escapeHtml(importMessages.importHasNul));
    }
    expect(await taskCount()).toBe(0);
  });

  it('written as \\u0000 inside a JSON import refuses that row, with its number, and imports the others', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/account');
    const json = '[{"name":"Fine"},{"name":"Bad\\u0000name"},{"name":"Also fine","completed":"\\u0000"}]';
    const res = await agent
      .post('/account/import')
      .field('_csrf', _csrf)
      .attach('file', Buffer.from(json, 'utf8'), 'tasks.json');
    expect(res.status).toBe(303);
    const report = await agent.get('/account');
    expect(report.text).toContain(importMessages.imported(1));
    expect(report.text).toContain(escapeHtml(taskMessages.taskControlCharacters));
    expect(report.text).toContain(escapeHtml(importMessages.rowCompletedInvalid));
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual(['Fine']);
  });
});

describe('lengths', () => {
  it('are checked in characters before the database sees them, the same on both databases', async () => {
    const { agent } = await registerUser(t.app);
    // 200 two-byte characters fit a 200-character column; one more does not.
    const longest = 'é'.repeat(TASK_NAME_MAX);
    expect((await postForm(agent, '/', { task: longest })).status).toBe(303);
    const tooLong = await postForm(agent, '/', { task: `${longest}é` });
    expect(tooLong.status).toBe(422);
    expect(fieldError(tooLong.text, 'task-error')).toBe(escapeHtml(taskMessages.taskTooLong));
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual([longest]);

    const anonymous = request.agent(t.app);
    const _csrf = await csrfTokenFor(anonymous, '/register');
    const email = `${'x'.repeat(EMAIL_MAX)}@example.com`;
    const longEmail = await anonymous
      .post('/register')
      .type('form')
      .send({ _csrf, email, password: GOOD_PASSWORD, verify: GOOD_PASSWORD });
    expect(longEmail.status).toBe(422);
    expect(fieldError(longEmail.text, 'email-error')).toBe(escapeHtml(authMessages.emailInvalid));
  });
});
