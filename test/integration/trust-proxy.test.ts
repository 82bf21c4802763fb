import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app';

const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) };
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

const sessionCookie = async (app: TestApp['app']) =>
  (await request(app).get('/login').set('x-forwarded-proto', 'https')).headers['set-cookie'];

describe('behind a TLS proxy (production)', () => {
  it('sets the Secure session cookie only when TRUST_PROXY trusts the proxy', async () => {
    t = await buildTestApp(production);
    expect(await sessionCookie(t.app)).toBeUndefined();
    await t.close();
    t = await buildTestApp({ ...production, TRUST_PROXY: 'loopback' });
    const cookie = await sessionCookie(t.app);
    expect(String(cookie)).toMatch(/gid\.sid=.*; Secure/);
  });
});
