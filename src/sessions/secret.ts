import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../config';

const MIN_SECRET_LENGTH = 32;

/**
 * Production must be given SESSION_SECRET (config.ts refuses to start without it). Elsewhere a
 * random secret is made once and kept in DATA_DIR, so restarts keep people logged in.
 */
export function resolveSessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = path.join(config.dataDir, 'session-secret');
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  // A short secret signs cookies anyone could forge; refuse it rather than serve every page 500.
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `${file} holds a session secret of ${secret.length} characters; it needs at least ${MIN_SECRET_LENGTH}. ` +
        'Delete the file to have a new one made, or set SESSION_SECRET.',
    );
  }
  return secret;
}
