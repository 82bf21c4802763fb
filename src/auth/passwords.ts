import crypto from 'node:crypto';
import os from 'node:os';
import bcrypt from 'bcrypt';
import { HttpError } from '../http/http-error';
import { PASSWORD_HASH_MAX_WAIT_MS } from '../limits';
import { authMessages } from '../messages/auth';

/**
 * bcrypt on its async API only. Hashing runs on libuv's 4-thread pool, which the session
 * store's sqlite3 driver and fs share, and each hash keeps a core busy for a quarter of a second:
 * at most one hash per core beyond the one the event loop needs, and never more than two, so a
 * burst of logins queues here instead of stalling every other request.
 */
export const DEFAULT_HASH_CONCURRENCY = Math.min(2, Math.max(1, os.availableParallelism() - 1));

export interface Passwords {
  hash(password: string): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
  /** Spends the same bcrypt work as a real check, for unknown emails (no enumeration by timing). */
  verifyAgainstDummy(password: string): Promise<false>;
  /** True for a hash in an older format: hash the password again after it verified. */
  needsRehash(hash: string): boolean;
}

/**
 * At most `maxConcurrent` jobs at once; the others wait in line, unless the work queued ahead of
 * them (the jobs waiting, times the shortest time one job has taken, shared by the running
 * slots) is over `maxWaitMs`: then the job is refused at once with a 503 and Retry-After, so a
 * flood of logins cannot queue unbounded bcrypt work. The shortest time, not a recent one:
 * under load a job's wall time includes waiting for libuv's threads, which is not its work.
 */
export function createLimiter(maxConcurrent: number, maxWaitMs = Number.POSITIVE_INFINITY) {
  let running = 0;
  let fastestMs = 0; // the shortest a job has taken: its work, without the waiting
  const waiting: (() => void)[] = [];
  return async function limit<T>(work: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) {
      const expectedWaitMs = ((waiting.length + 1) * fastestMs) / maxConcurrent;
      if (expectedWaitMs > maxWaitMs) {
        throw new HttpError(503, authMessages.busy, {
          'Retry-After': String(Math.ceil(expectedWaitMs / 1000)),
        });
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      const took = performance.now() - started;
      fastestMs = fastestMs === 0 ? took : Math.min(fastestMs, took);
      running--;
      waiting.shift()?.();
    }
  };
}

// Stored hashes say how the password was turned into bcrypt's input. bcrypt reads at most 72
// bytes, so the password is first normalised to NFC (the same password typed on any keyboard is
// the same bytes) and pre-hashed with SHA-256 (as passlib's bcrypt_sha256 does), or with
// HMAC-SHA-256 under PASSWORD_PEPPER; base64 keeps NUL bytes out of bcrypt's input. Every
// character of a 1,024-character password counts. A hash without a prefix is plain bcrypt of
// the password, from before: it still verifies, and is replaced at the next successful login.
const SHA256 = '$sha256$';
const HMAC_SHA256 = '$hmac-sha256$';
const BCRYPT_INPUT_MAX_BYTES = 72;

function preHash(password: string, pepper: string | undefined): string {
  const nfc = password.normalize('NFC');
  const digest = pepper ? crypto.createHmac('sha256', pepper) : crypto.createHash('sha256');
  return digest.update(nfc, 'utf8').digest('base64');
}

export function createPasswords(
  rounds: number,
  options: { maxConcurrent?: number; maxWaitMs?: number; pepper?: string } = {},
): Passwords {
  const limit = createLimiter(
    options.maxConcurrent ?? DEFAULT_HASH_CONCURRENCY,
    options.maxWaitMs ?? PASSWORD_HASH_MAX_WAIT_MS,
  );
  const { pepper } = options;
  const prefix = pepper ? HMAC_SHA256 : SHA256;
  let dummyHash: Promise<string> | undefined;

  const hash = async (password: string) =>
    prefix + (await limit(() => bcrypt.hash(preHash(password, pepper), rounds)));

  function verify(password: string, stored: string): Promise<boolean> {
    if (stored.startsWith(HMAC_SHA256)) {
      // Made with a pepper this process does not have: it cannot match.
      if (!pepper) return Promise.resolve(false);
      return limit(() => bcrypt.compare(preHash(password, pepper), stored.slice(HMAC_SHA256.length)));
    }
    if (stored.startsWith(SHA256)) {
      return limit(() => bcrypt.compare(preHash(password, undefined), stored.slice(SHA256.length)));
    }
    // Plain bcrypt from before: it ignores bytes past 72, so a longer password never matches.
    if (Buffer.byteLength(password, 'utf8') > BCRYPT_INPUT_MAX_BYTES) return Promise.resolve(false);
    return limit(() => bcrypt.compare(password, stored));
  }

  return {
    hash,
    verify,
    async verifyAgainstDummy(password) {
      dummyHash ??= hash('not-a-real-password');
      await verify(password, await dummyHash);
      return false;
    },
    needsRehash: (stored) => !stored.startsWith(prefix),
  };
}
