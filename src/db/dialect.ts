import type { Knex } from 'knex';

// What SQLite and PostgreSQL do differently, in one place, so models stay dialect-neutral.

/** A unique-constraint violation on SQLite or PostgreSQL, so callers never SELECT-then-INSERT. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

export type Dialect = 'sqlite' | 'pg';

/** Which database the Knex instance talks to. */
export function dialectOf(db: Knex): Dialect {
  return String(db.client.config.client ?? '') === 'pg' ? 'pg' : 'sqlite';
}

/**
 * An aggregate that gathers each row's `columns` into one JSON array of arrays, '[]' for no rows:
 * json_group_array on SQLite, json_agg on PostgreSQL. Read it back with parseJsonRows. The
 * columns are quoted as they are: names from the code, never from a request.
 */
export function jsonRowsAggregate(db: Knex, columns: readonly string[]): string {
  const list = columns.map((column) => `"${column}"`).join(', ');
  return dialectOf(db) === 'pg'
    ? `coalesce(json_agg(json_build_array(${list})), '[]'::json)`
    : `json_group_array(json_array(${list}))`;
}

/** jsonRowsAggregate's value: SQLite answers JSON text, pg has parsed it already. */
export function parseJsonRows<T>(value: unknown): T[] {
  if (typeof value === 'string') return JSON.parse(value) as T[];
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The network failed under the driver: nothing answers, or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/**
 * PostgreSQL's SQLSTATEs for "not now": 08 connection exceptions, 57P01-57P03 (the server is
 * shutting down, crashed, or still starting), 57014 (statement timeout), 53 insufficient
 * resources (too many connections, disk full), 40001/40P01 (a conflict: try again) and 25006
 * (a read-only server, e.g. a standby after a failover).
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|57014|53...|40001|40P01|25006)$/;

/**
 * pg's own errors for a connection that broke or timed out; they carry no code. Knex puts the
 * SQL (with its values) before the driver's words, so only the end of the message counts.
 */
const PG_CONNECTION_MESSAGES =
  /(Connection terminated( unexpectedly| due to connection timeout)?|timeout expired|Query read timeout|is not queryable)$/;

/** True for the errors that mean "the database is busy or unavailable", not "our bug". */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'KnexTimeoutError') return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^SQLITE_(BUSY|LOCKED|READONLY|IOERR|CANTOPEN|FULL)/.test(code)) return true;
    if (NETWORK_CODES.has(code) || PG_UNAVAILABLE.test(code)) return true;
  }
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (err instanceof AggregateError && err.errors.some(isDatabaseUnavailable)) return true;
  return PG_CONNECTION_MESSAGES.test(err.message);
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
  return dialectOf(db) === 'sqlite' ? date.toISOString().slice(0, 19).replace('T', ' ') : date;
}
