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

  it('caps tasks per account at 10,000 unless MAX_TASKS_PER_USER says otherwise', () => {
    expect(loadConfig({}).maxTasksPerUser).toBe(10_000);
    expect(loadConfig({ MAX_TASKS_PER_USER: '50' }).maxTasksPerUser).toBe(50);
    expect(() => loadConfig({ MAX_TASKS_PER_USER: '0' })).toThrow(/MAX_TASKS_PER_USER/);
    expect(() => loadConfig({ MAX_TASKS_PER_USER: 'lots' })).toThrow(/MAX_TASKS_PER_USER/);
  });

  it('reads TRUST_PROXY as off, true, a hop count or addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
  });
});
