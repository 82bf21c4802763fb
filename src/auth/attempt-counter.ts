import { HttpError } from '../http/http-error';

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

/**
 * Attempts per key (an email, a user id) within a fixed window, in this process's memory (a
 * second process keeps its own counts). Callers count an attempt when it starts, so a burst of
 * parallel guesses cannot slip past the limit while bcrypt is busy.
 */
export class AttemptCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** When the key may try again, if it is over its limit now. */
  blockedUntil(key: string, now = Date.now()): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.resetAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.count >= this.max ? entry.resetAt : undefined;
  }

  hit(key: string, now = Date.now()): void {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt > now) {
      entry.count++;
      return;
    }
    this.entries.delete(key);
    this.entries.set(key, { count: 1, resetAt: now + this.windowMs });
    if (this.entries.size > this.maxKeys) this.prune(now);
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired keys; if a flood of distinct emails is still too many, the oldest go. */
  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}
