import { describe, expect, it } from 'vitest';
import { createAttemptCounters, SWEEP_BATCH, SWEEP_EVERY_MS } from '../../src/auth/attempt-counter';
import { createLogger } from '../../src/logger';
import { useMigratedDb } from '../helpers/test-app';

const fresh = useMigratedDb();

/** Counters on the test database with a clock the test moves. */
function countersAt(start = 1_000_000) {
  const clock = { now: start };
  const counters = createAttemptCounters(fresh.db, createLogger('silent'), () => clock.now);
  return { clock, counters };
}

async function storedKeys(): Promise<string[]> {
  const rows: { key: string }[] = await fresh.db('rate_limits').select('key').orderBy('key');
  return rows.map((row) => row.key);
}

describe('the attempt counter', () => {
  it('lets `max` attempts through in a window, refuses the next until the window ends, and forgets a key on reset', async () => {
    const { clock, counters } = countersAt();
    const counter = counters.counter('test:', 1000);
    const windowEnd = clock.now + 1000;
    for (let i = 1; i <= 3; i++) expect(await counter.attempt('a', 3), `attempt ${i}`).toBeUndefined();
    expect(await counter.attempt('a', 3)).toBe(windowEnd);
    clock.now += 10;
    expect(await counter.attempt('a', 3), 'the window does not move').toBe(windowEnd);
    expect(await counter.attempt('b', 3), 'another key').toBeUndefined();

    clock.now = windowEnd; // the window has ended: a new one starts with this attempt
    expect(await counter.attempt('a', 3)).toBeUndefined();
    expect(await counter.get('a')).toEqual({ totalHits: 1, resetTime: new Date(windowEnd + 1000) });

    for (let i = 0; i < 5; i++) await counter.attempt('a', 3);
    await counter.resetKey('a');
    expect(await counter.get('a')).toBeUndefined();
    expect(await counter.attempt('a', 3)).toBeUndefined();
  });

  it('counts parallel attempts one by one, so a burst cannot slip past the limit', async () => {
    const { counters } = countersAt();
    const counter = counters.counter('test:', 60_000);
    const answers = await Promise.all(Array.from({ length: 20 }, () => counter.attempt('burst', 5)));
    expect(answers.filter((blockedUntil) => blockedUntil === undefined)).toHaveLength(5);
    expect((await counter.get('burst'))?.totalHits).toBe(20);
  });

  it("keeps each limit's keys apart by prefix", async () => {
    const { counters } = countersAt();
    const logins = counters.counter('login:', 1000);
    const imports = counters.counter('import:', 1000);
    await logins.increment('7');
    await logins.increment('7');
    expect((await imports.increment('7')).totalHits).toBe(1);
    expect(await storedKeys()).toEqual(['import:7', 'login:7']);
  });

  it("works as express-rate-limit's store: increment, decrement within the window, get", async () => {
    const { clock, counters } = countersAt();
    const store = counters.counter('address:', 1000);
    expect(store.localKeys).toBe(false);
    expect(await store.increment('::1')).toEqual({ totalHits: 1, resetTime: new Date(clock.now + 1000) });
    expect((await store.increment('::1')).totalHits).toBe(2);
    await store.decrement('::1');
    expect((await store.get('::1'))?.totalHits).toBe(1);
    clock.now += 1000;
    await store.decrement('::1'); // nothing to take back from a window that has ended
    expect(await store.get('::1')).toBeUndefined();
    expect((await store.increment('::1')).totalHits).toBe(1);
  });

  it('deletes the rows of ended windows at most once a minute, started by a hit, in batches', async () => {
    const { clock, counters } = countersAt();
    const counter = counters.counter('flood:', 1000);
    await counter.increment('first'); // the first hit of a process sweeps (there is nothing yet)
    await counters.sweepDone();
    const expired = Array.from({ length: SWEEP_BATCH + 5 }, (_, i) => ({
      key: `flood:${i}`,
      hits: 1,
      reset_at: clock.now - 1,
    }));
    for (let i = 0; i < expired.length; i += 200) {
      await fresh.db('rate_limits').insert(expired.slice(i, i + 200));
    }
    await counter.increment('kept');
    await counters.sweepDone();
    expect((await storedKeys()).length, 'no sweep within the minute').toBe(expired.length + 2);

    clock.now += SWEEP_EVERY_MS;
    await counter.increment('kept');
    await counters.sweepDone();
    // 'first' and 'kept' started windows a minute ago that ended then: only the new hit's row stays.
    expect(await storedKeys()).toEqual(['flood:kept']);
  });
});
