import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { resolveSessionSecret } from '../../src/sessions/secret';

const freshDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'gid-secret-'));

describe('the development session secret in DATA_DIR', () => {
  it('is made once, 64 hex characters, readable by the owner only, and kept across restarts', () => {
    const dataDir = path.join(freshDir(), 'data');
    const config = loadConfig({ DATA_DIR: dataDir });
    const first = resolveSessionSecret(config);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(resolveSessionSecret(config)).toBe(first);
    expect(fs.statSync(path.join(dataDir, 'session-secret')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('refuses a file holding a secret too short to sign cookies safely', () => {
    for (const content of ['', 'x', 'a'.repeat(31)]) {
      const dataDir = freshDir();
      fs.writeFileSync(path.join(dataDir, 'session-secret'), content);
      const config = loadConfig({ DATA_DIR: dataDir });
      expect(() => resolveSessionSecret(config)).toThrow(ConfigError);
      expect(() => resolveSessionSecret(config)).toThrow(/at least 32/);
    }
  });
});
