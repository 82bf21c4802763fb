import type { Knex } from 'knex';

// What SQLite and PostgreSQL do differently, in one place, so models stay dialect-neutral.

/** A unique-constraint violation on SQLite or PostgreSQL, so callers never SELECT-then-INSERT. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** True for the errors that mean "the database is busy or unavailable", not "our bug". */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|CANTOPEN|FULL)/.test(code))
    return true;
  return err.name === 'KnexTimeoutError';
}

/** SQLite returns timestamps as 'YYYY-MM-DD HH:MM:SS' text in UTC; PostgreSQL returns Dates. */
export function toDate(value: string | Date | null): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}

/**
 * SQLite keeps timestamps as CURRENT_TIMESTAMP text ('YYYY-MM-DD HH:MM:SS', UTC) and Knex would
 * bind a Date as integer milliseconds, so a time is written in the column's own format there;
 * other databases take the Date.
 */
export function timestampFor(db: Knex, date: Date): string | Date {
  const client = String(db.client.config.client ?? '');
  return client.includes('sqlite') ? date.toISOString().slice(0, 19).replace('T', ' ') : date;
}
