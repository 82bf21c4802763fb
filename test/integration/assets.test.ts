import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { publicDir } from '../../src/paths';
import { buildTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
});

const fingerprint = (file: string) =>
  crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(publicDir, file)))
    .digest('hex')
    .slice(0, 10);

/** The stylesheet, script and icon URLs a page links to. */
async function linkedAssets(app: TestApp['app']): Promise<string[]> {
  const page = (await request(app).get('/login')).text;
  return [...page.matchAll(/(?:href|src)="(\/[^"]+\.(?:css|js|svg)[^"]*)"/g)].map((m) => m[1]!);
}

describe('static assets', () => {
  it('pages link each asset with the fingerprint of its bytes', async () => {
    t = await buildTestApp();
    expect(await linkedAssets(t.app)).toEqual([
      `/favicon.svg?v=${fingerprint('favicon.svg')}`,
      `/css/app.css?v=${fingerprint('css/app.css')}`,
      `/js/app.js?v=${fingerprint('js/app.js')}`,
    ]);
  });

  it('in production a fingerprinted URL is cached for a year, immutable; any other URL for an hour', async () => {
    t = await buildTestApp({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) });
    const urls = await linkedAssets(t.app);
    expect(urls).toHaveLength(3);
    for (const url of urls) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
    }
    for (const url of ['/css/app.css', '/css/app.css?v=0123456789']) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('public, max-age=3600');
    }
  });

  it('outside production nothing is cached for long (files change while the server runs)', async () => {
    t = await buildTestApp();
    const [css] = (await linkedAssets(t.app)).filter((url) => url.includes('.css'));
    expect((await request(t.app).get(css!)).headers['cache-control']).toBe('public, max-age=0');
  });
});
