import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/test-app';
import { registerUser } from '../helpers/users';

const t = useTestApp();

describe('error pages', () => {
  it('answers an unknown page with a friendly 404, logged in or not', async () => {
    const anonymous = await request(t.app).get('/no-such-page');
    expect(anonymous.status).toBe(404);
    expect(anonymous.text).toContain('Page not found');
    const { agent } = await registerUser(t.app);
    const loggedIn = await agent.get('/no-such-page');
    expect(loggedIn.status).toBe(404);
    expect(loggedIn.text).toContain('Back to your tasks');
  });

  it('shows a 500 page without a stack trace or database details when something breaks', async () => {
    const { agent } = await registerUser(t.app);
    await t.db.schema.dropTable('tasks'); // an internal failure the user can do nothing about
    const res = await agent.get('/');
    expect(res.status).toBe(500);
    expect(res.text).toContain('Something went wrong');
    expect(res.text).not.toMatch(/at .*\(.*:\d+:\d+\)/);
    expect(res.text).not.toMatch(/SQLITE|no such table|select /i);
  });

  it('answers a malformed URL with a 400 page, not a stack trace', async () => {
    const { agent } = await registerUser(t.app);
    const res = await agent.get('/tasks/%E0%A4%A/complete');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/at .*:\d+:\d+/);
  });
});

describe('GET /healthz', () => {
  it('answers 200 {"status":"ok"} after a database round trip', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database does not answer', async () => {
    await t.db.destroy();
    const res = await request(t.app).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.status).not.toBe('ok');
  });
});
