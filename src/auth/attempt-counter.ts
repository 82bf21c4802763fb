import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ClientRateLimitInfo, Store } from 'express-rate-limit';
import type { Knex } from 'knex';
import { HttpError } from '../http/http-error';
import { loggableError } from '../http/error-pages';
import type { Logger } from '../logger';
import { clearHits, countHit, findHits, purgeExpiredHits, takeBackHit } from '../models/rate-limits';

/** "15:04 UTC" and whole minutes until then (at least 1), for the 429 page. */
function whenAgain(resetAt: number, now = Date.now()) {
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  const when = `${new Date(resetAt).toISOString().slice(11, 16)} UTC`;
  return { seconds, when, minutes: Math.max(1, Math.ceil(seconds / 60)) };
}

/** The 429 for a limit that resets at `resetAt`, with Retry-After and the time in words. */
export function tooMany(resetAt: number, message: (when: string, minutes: number) => string): HttpError {
  const { seconds, when, minutes } = whenAgain(resetAt);
  return new HttpError(429, message(when, minutes), { 'Retry-After': String(seconds) });
}

/** How often one process deletes the rows of ended windows, and how many rows a statement deletes. */
export const SWEEP_EVERY_MS = 60_000;
export const SWEEP_BATCH = 1000;

type Clock = () => number;

/**
 * Attempts per key (an email, an address, a user id) within a fixed window, counted in the
 * database (models/rate-limits.ts), so every process and instance on it shares the counts. It is
 * express-rate-limit's Store for the per-address limits, and `attempt` serves the limits that
 * route code checks itself. Attempts are counted as they start, in one atomic statement, so a
 * burst of parallel guesses cannot slip past the limit while bcrypt is busy.
 */
export class AttemptCounter implements Store {
  /** Counts live in the database: another instance with the same prefix sees the same hits. */
  readonly localKeys = false;

  constructor(
    private readonly db: Knex,
    /** Tells this limit's keys from the other limits' in the shared table. */
    readonly prefix: string,
    private readonly windowMs: number,
    private readonly afterHit: (now: number) => void = () => {},
    private readonly clock: Clock = Date.now,
  ) {}

  private async count(key: string) {
    const now = this.clock();
    const hits = await countHit(this.db, this.prefix + key, this.windowMs, now);
    this.afterHit(now);
    return hits;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const { hits, resetAt } = await this.count(key);
    return { totalHits: hits, resetTime: new Date(resetAt) };
  }

  async decrement(key: string): Promise<void> {
    await takeBackHit(this.db, this.prefix + key, this.clock());
  }

  async resetKey(key: string): Promise<void> {
    await clearHits(this.db, this.prefix + key);
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const found = await findHits(this.db, this.prefix + key, this.clock());
    return found && { totalHits: found.hits, resetTime: new Date(found.resetAt) };
  }

  /**
   * Counts an attempt as it starts. When that makes more than `max` in the window, the attempt
   * must not go ahead: the answer is when the key may try again (undefined: go ahead).
   */
  async attempt(key: string, max: number): Promise<number | undefined> {
    const { hits, resetAt } = await this.count(key);
    return hits > max ? resetAt : undefined;
  }
}

export interface AttemptCounters {
  /** A counter for one limit; `prefix` must differ between limits. */
  counter(prefix: string, windowMs: number): AttemptCounter;
  /** The sweep a hit started last, when it is over (for tests; it never fails). */
  sweepDone(): Promise<void>;
}

/**
 * The app's counters: one table, and one sweep of the rows of ended windows, at most once a
 * minute per process, started by a hit (so there is no timer to stop) and never in that hit's
 * way. A key's own expired row is reset in place by its next hit; the sweep removes the keys
 * that never come back (a flood of made-up emails), in batches, yielding between them.
 */
export function createAttemptCounters(db: Knex, logger: Logger, clock: Clock = Date.now): AttemptCounters {
  let nextSweepAt = 0;
  let sweeping = Promise.resolve();
  async function sweep(now: number) {
    while ((await purgeExpiredHits(db, now, SWEEP_BATCH)) === SWEEP_BATCH) await nextTurn();
  }
  function sweepIfDue(now: number) {
    if (now < nextSweepAt) return;
    nextSweepAt = now + SWEEP_EVERY_MS;
    sweeping = sweep(now).catch((err: unknown) =>
      logger.warn({ err: loggableError(err) }, 'purging expired rate-limit counters failed'),
    );
  }
  return {
    counter: (prefix, windowMs) => new AttemptCounter(db, prefix, windowMs, sweepIfDue, clock),
    sweepDone: () => sweeping,
  };
}
