import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { csrfFrom, GOOD_PASSWORD, uniqueEmail } from '../helpers/users';

const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) };
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

const setCookies = (res: request.Response): string[] => {
  const header = res.headers['set-cookie'];
  return Array.isArray(header) ? header : header ? [header] : [];
};

/**
 * Registers through a TLS proxy (X-Forwarded-Proto: https), carrying cookies by hand as a browser
 * on HTTPS would (supertest's agent keeps Secure cookies off plain HTTP), and answers the cookies
 * the registration set.
 */
async function cookiesAfterRegistering(app: TestApp['app']): Promise<string[]> {
  const page = await request(app).get('/register').set('x-forwarded-proto', 'https');
  const cookie = setCookies(page)
    .map((line) => line.split(';')[0])
    .join('; ');
  const email = uniqueEmail();
  const res = await request(app)
    .post('/register')
    .set('x-forwarded-proto', 'https')
    .set('cookie', cookie)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password: GOOD_PASSWORD, verify: GOOD_PASSWORD });
  expect(res.status).toBe(303);
  return setCookies(res);
}

describe('behind a TLS proxy (production)', () => {
  it('sets the Secure session cookie only when TRUST_PROXY trusts the proxy', async () => {
    t = await buildTestApp(production);
    expect((await cookiesAfterRegistering(t.app)).filter((c) => c.includes('gid.sid='))).toEqual([]);
    await t.close();
    t = await buildTestApp({ ...production, TRUST_PROXY: 'loopback' });
    const session = (await cookiesAfterRegistering(t.app)).find((c) => c.includes('gid.sid='));
    expect(session).toMatch(/^__Host-gid\.sid=.*; Path=\/;.*; Secure/);
    expect(session).not.toMatch(/Domain=/i);
  });
});
