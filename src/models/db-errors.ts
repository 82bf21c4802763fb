/** A unique-constraint violation on SQLite or PostgreSQL, so callers never SELECT-then-INSERT. */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** SQLite returns timestamps as 'YYYY-MM-DD HH:MM:SS' text in UTC; PostgreSQL returns Dates. */
export function toDate(value: string | Date | null): Date | null {
  if (value === null) return null;
  if (value instanceof Date) return value;
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}
