import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app';
import { csrfTokenFor, GOOD_PASSWORD, postForm, registerUser, taskIds, uniqueEmail } from '../helpers/users';

const t = useTestApp();

describe('CSRF protection', () => {
  it('refuses every POST without a valid token with a 403 page and changes nothing', async () => {
    const { agent } = await registerUser(t.app);
    await postForm(agent, '/', { task: 'Keep me' });
    const [id] = taskIds((await agent.get('/')).text, 'open');
    const attempts: [string, Record<string, string>][] = [
      ['/', { task: 'forged' }],
      ['/delete-task', { 'task-id': String(id) }],
      [`/tasks/${id}/complete`, {}],
      [`/tasks/${id}/reopen`, {}],
      [`/tasks/${id}/edit`, { name: 'forged' }],
      [`/tasks/${id}/delete`, {}],
      [`/tasks/${id}/undo-delete`, {}],
      ['/tasks/complete-all', {}],
      ['/tasks/clear-completed', {}],
      ['/logout', {}],
      ['/register', { email: uniqueEmail(), password: GOOD_PASSWORD, verify: GOOD_PASSWORD }],
      ['/login', { email: 'x@example.com', password: GOOD_PASSWORD }],
    ];
    for (const [path, fields] of attempts) {
      for (const token of [undefined, 'wrong-token']) {
        const res = await agent
          .post(path)
          .type('form')
          .send({ ...fields, ...(token ? { _csrf: token } : {}) });
        expect(res.status, `${path} with ${token ?? 'no token'}`).toBe(403);
        expect(res.text).toContain('Form expired');
      }
    }
    const tasks = await t
      .db('tasks')
      .select<{ name: string; completed: number | boolean }[]>('name', 'completed');
    // Read from the table itself: SQLite keeps the flag as 0/1, PostgreSQL as a boolean.
    expect(tasks.map((task) => ({ ...task, completed: Boolean(task.completed) }))).toEqual([
      { name: 'Keep me', completed: false },
    ]);
    expect((await agent.get('/')).status).toBe(200); // still logged in
  });

  it('refuses a token taken from another session', async () => {
    const alice = await registerUser(t.app);
    const aliceToken = await csrfTokenFor(alice.agent, '/');
    const bob = await registerUser(t.app);
    const res = await bob.agent.post('/').type('form').send({ _csrf: aliceToken, task: 'forged' });
    expect(res.status).toBe(403);
  });
});

describe('sessions for visitors', () => {
  it('a visitor who renders no form gets no session (bots cannot fill the store)', async () => {
    for (const path of ['/no-such-page', '/healthz', '/css/app.css', '/favicon.svg']) {
      const res = await request(t.app).get(path);
      expect(res.headers['set-cookie'], path).toBeUndefined();
    }
    expect((await request(t.app).get('/login')).headers['set-cookie']).toBeDefined();
  });
});

describe('request limits and headers', () => {
  it('answers a body over 16 KB with a 413 page', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    const res = await agent
      .post('/')
      .type('form')
      .send({ _csrf, task: 'x'.repeat(20_000) });
    expect(res.status).toBe(413);
    expect(res.text).toContain('Too much data');
    expect(await t.db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('sends a CSP without inline code, and no X-Powered-By', async () => {
    const res = await request(t.app).get('/login');
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps pages out of caches', async () => {
    const { agent } = await registerUser(t.app);
    expect((await agent.get('/')).headers['cache-control']).toBe('no-store');
  });

  it('pages carry no inline script or style', async () => {
    const { agent } = await registerUser(t.app);
    await postForm(agent, '/', { task: 'Check the markup' });
    for (const html of [(await agent.get('/')).text, (await request(t.app).get('/register')).text]) {
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\sstyle=/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    }
  });
});
