import path from 'node:path';
import { expect, it, vi } from 'vitest';

const root = path.resolve(__dirname, '../..') + path.sep;
/** A stack frame in the project's own code (src/, knexfile.ts), not a library's or a test's. */
const isOurs = (frame: string) =>
  frame.includes(root) && !frame.includes(`${root}node_modules`) && !frame.includes(`${root}test`);

it('importing the app factory reads no environment variable in our code', async () => {
  const reads: string[] = [];
  const realEnv = process.env;
  // Record every read of process.env whose caller is our code (libraries may read theirs).
  process.env = new Proxy(realEnv, {
    get(target, key, receiver) {
      const caller = new Error().stack?.split('\n')[2] ?? '';
      if (typeof key === 'string' && isOurs(caller)) reads.push(`${key} from ${caller.trim()}`);
      return Reflect.get(target, key, receiver);
    },
  });
  try {
    vi.resetModules();
    const { createApp } = await import('../../src/app');
    expect(typeof createApp).toBe('function');
  } finally {
    process.env = realEnv;
  }
  expect(reads).toEqual([]);
});
