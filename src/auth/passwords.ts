import os from 'node:os';
import bcrypt from 'bcrypt';

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
}

export function createLimiter(maxConcurrent: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(work: () => Promise<T>): Promise<T> {
    if (running >= maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

export function createPasswords(rounds: number, maxConcurrent = DEFAULT_HASH_CONCURRENCY): Passwords {
  const limit = createLimiter(maxConcurrent);
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => (dummyHash ??= limit(() => bcrypt.hash('not-a-real-password', rounds)));
  return {
    hash: (password) => limit(() => bcrypt.hash(password, rounds)),
    verify: (password, hash) => limit(() => bcrypt.compare(password, hash)),
    async verifyAgainstDummy(password) {
      const hash = await getDummyHash();
      await limit(() => bcrypt.compare(password, hash));
      return false;
    },
  };
}
