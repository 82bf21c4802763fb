import type { Knex } from 'knex';

// Hit counters for the rate limits, shared by every process and instance on the database. A row
// counts the hits of one key in a fixed window that ends at reset_at (ms since the epoch); a row
// whose window has ended counts as no row at all, and is deleted by purgeExpiredHits.

export interface RateLimitRow {
  key: string;
  hits: number;
  /** A string from PostgreSQL's bigint, a number from SQLite. */
  reset_at: number | string;
}

export interface Hits {
  hits: number;
  resetAt: number;
}

const TABLE = 'rate_limits';

const toHits = (row: Pick<RateLimitRow, 'hits' | 'reset_at'>): Hits => ({
  hits: Number(row.hits),
  resetAt: Number(row.reset_at),
});

/**
 * Counts one hit for the key in one atomic upsert and answers the count so far: a new key, or a
 * key whose window has ended, starts a new window with this hit; any other key adds one. Parallel
 * hits from any number of processes each get their own count, so none can slip past a limit.
 * (In ON CONFLICT … DO UPDATE, both databases evaluate every SET against the row as it was.)
 */
export async function countHit(db: Knex, key: string, windowMs: number, now: number): Promise<Hits> {
  const ended = ['rate_limits.reset_at', now];
  const rows: Pick<RateLimitRow, 'hits' | 'reset_at'>[] = await db(TABLE)
    .insert({ key, hits: 1, reset_at: now + windowMs })
    .onConflict('key')
    .merge({
      hits: db.raw('CASE WHEN ?? <= ? THEN 1 ELSE ?? + 1 END', [...ended, 'rate_limits.hits']),
      reset_at: db.raw('CASE WHEN ?? <= ? THEN ?? ELSE ?? END', [
        ...ended,
        'excluded.reset_at',
        'rate_limits.reset_at',
      ]),
    })
    .returning(['hits', 'reset_at']);
  return toHits(rows[0]!);
}

/** Takes one hit back, within the current window only (a new window has nothing to take back). */
export async function takeBackHit(db: Knex, key: string, now: number): Promise<void> {
  await db(TABLE)
    .where('key', key)
    .andWhere('reset_at', '>', now)
    .andWhere('hits', '>', 0)
    .decrement('hits', 1);
}

export async function clearHits(db: Knex, key: string): Promise<void> {
  await db(TABLE).where('key', key).delete();
}

/** The key's hits in its current window, or undefined when it has none. */
export async function findHits(db: Knex, key: string, now: number): Promise<Hits | undefined> {
  const row = await db(TABLE)
    .where('key', key)
    .andWhere('reset_at', '>', now)
    .first<Pick<RateLimitRow, 'hits' | 'reset_at'> | undefined>('hits', 'reset_at');
  return row && toHits(row);
}

/** Deletes up to `batch` rows whose window has ended; answers how many went. */
export async function purgeExpiredHits(db: Knex, now: number, batch: number): Promise<number> {
  return db(TABLE)
    .whereIn('key', db(TABLE).select('key').where('reset_at', '<=', now).limit(batch))
    .delete();
}
