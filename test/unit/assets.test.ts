import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterEach, expect, it } from 'vitest';
import { createAssets } from '../../src/http/assets';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('a file changed under a running server is no longer served immutable at its old URL', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gid-assets-'));
  fs.mkdirSync(path.join(dir, 'css'));
  fs.writeFileSync(path.join(dir, 'css', 'site.css'), 'body { color: black }');
  const assets = createAssets(dir, true);
  const app = express().use(assets.serve);
  const url = assets.url('/css/site.css');
  expect(url).toMatch(/^\/css\/site\.css\?v=[0-9a-f]{10}$/);
  expect(assets.url('/css/missing.css')).toBe('/css/missing.css');

  expect((await request(app).get(url)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
  fs.writeFileSync(path.join(dir, 'css', 'site.css'), 'body { color: darkslategray }');
  const after = await request(app).get(url);
  expect(after.text).toContain('darkslategray');
  expect(after.headers['cache-control']).toBe('public, max-age=3600');
});
