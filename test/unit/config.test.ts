import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('has development defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 3000, bcryptRounds: 12, logLevel: 'info' });
    expect(config.dataDir).toBe(path.resolve('./data'));
  });

  it('refuses to start in production without SESSION_SECRET, saying which variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).env).toBe('production');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ BCRYPT_ROUNDS: '2' })).toThrow(/BCRYPT_ROUNDS/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('reads TRUST_PROXY as off, true, a hop count or addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });

  it('serves from one process unless WEB_CONCURRENCY asks for workers, and names a bad value', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '2' }).webConcurrency).toBe(2);
    for (const bad of ['0', '-1', '1.5', 'many', '65'])
      expect(() => loadConfig({ WEB_CONCURRENCY: bad }), bad).toThrow(/WEB_CONCURRENCY/);
  });

  it('takes INSTANCE_NAME only as a plain token (it becomes a response header)', () => {
    expect(loadConfig({}).instanceName).toBeUndefined();
    expect(loadConfig({ INSTANCE_NAME: 'web-a.eu_1' }).instanceName).toBe('web-a.eu_1');
    for (const bad of ['two words', 'a\r\nSet-Cookie: x=1', 'x'.repeat(65)])
      expect(() => loadConfig({ INSTANCE_NAME: bad }), bad).toThrow(/INSTANCE_NAME/);
  });
});
