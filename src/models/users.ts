import type { Knex } from 'knex';
import { runCompiled } from '../db/compiled-queries';
import { isUniqueViolation, toDate } from '../db/dialect';

// The users table. A user's tasks go with the user (ON DELETE CASCADE).

export interface User {
  id: number;
  email: string;
  createdAt: Date;
  /** IANA name; what "today" means for the user's due dates. */
  timeZone: string;
  /** Single-key shortcuts on (the default) or off (the account page's setting). */
  keyboardShortcuts: boolean;
}

export interface UserWithHash extends User {
  passwordHash: string;
  /** True once the user picked their zone on the account page: logins then leave it alone. */
  timeZoneChosen: boolean;
}

interface UserRow {
  id: number;
  email: string;
  password_hash: string;
  created_at: string | Date;
  time_zone: string;
  time_zone_chosen: number | boolean;
  keyboard_shortcuts: number | boolean;
}

const USER_COLUMNS = [
  'users.id',
  'users.email',
  'users.created_at',
  'users.time_zone',
  'users.keyboard_shortcuts',
] as const;

function toUser(
  row: Pick<UserRow, 'id' | 'email' | 'created_at' | 'time_zone' | 'keyboard_shortcuts'>,
): User {
  return {
    id: row.id,
    email: row.email,
    createdAt: toDate(row.created_at)!,
    timeZone: row.time_zone,
    keyboardShortcuts: Boolean(row.keyboard_shortcuts),
  };
}

/** Emails are compared in the form they are stored: trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(db: Knex, email: string): Promise<UserWithHash | undefined> {
  const row = await db<UserRow>('users')
    .where({ email: normaliseEmail(email) })
    .first();
  return (
    row && { ...toUser(row), passwordHash: row.password_hash, timeZoneChosen: Boolean(row.time_zone_chosen) }
  );
}

export async function findUserById(db: Knex, id: number): Promise<User | undefined> {
  const row = await db<UserRow>('users')
    .where({ id })
    .first(...USER_COLUMNS);
  return row && toUser(row);
}

/**
 * The user a session belongs to, or undefined when the user is gone or the session logged in
 * before the user's sessions were cut off (a password change). One query, on every request.
 */
export async function findUserForSession(
  db: Knex,
  userId: number,
  authAt: number | undefined,
): Promise<User | undefined> {
  // Every request of a logged-in user runs this: compiled once (db/compiled-queries.ts).
  type Row = UserRow & { valid_after: number | string | null };
  const [row] = await runCompiled<Row, [number]>(db, 'user for session', [-727_002], [userId], (id) =>
    db('users')
      .leftJoin('session_cutoffs', 'session_cutoffs.user_id', 'users.id')
      .where('users.id', id)
      .first(...USER_COLUMNS, 'session_cutoffs.valid_after'),
  );
  if (!row) return undefined;
  if (row.valid_after !== null && (authAt ?? 0) < Number(row.valid_after)) return undefined;
  return toUser(row);
}

/** Creates the user, or returns undefined when the email is taken (in any letter case). */
export async function createUser(
  db: Knex,
  fields: { email: string; passwordHash: string; timeZone?: string },
): Promise<User | undefined> {
  try {
    const [row] = await db<UserRow>('users')
      .insert({
        email: normaliseEmail(fields.email),
        password_hash: fields.passwordHash,
        ...(fields.timeZone ? { time_zone: fields.timeZone } : {}),
      })
      .returning(['id', 'email', 'created_at', 'time_zone', 'keyboard_shortcuts']);
    return row && toUser(row);
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}

export async function findPasswordHash(db: Knex, userId: number): Promise<string | undefined> {
  const row = await db('users')
    .where({ id: userId })
    .first<{ password_hash: string } | undefined>('password_hash');
  return row?.password_hash;
}

export async function updatePasswordHash(db: Knex, userId: number, passwordHash: string): Promise<boolean> {
  return (await db('users').where({ id: userId }).update({ password_hash: passwordHash })) === 1;
}

/**
 * Sets the user's time zone (a canonical IANA name: see dates/time-zones.ts). `chosen` when the
 * user picked it; a zone the browser reported at login is not, and never replaces a chosen one.
 */
export async function updateTimeZone(
  db: Knex,
  userId: number,
  timeZone: string,
  { chosen }: { chosen: boolean },
): Promise<boolean> {
  const query = db('users').where({ id: userId });
  if (!chosen) query.andWhere('time_zone_chosen', false);
  return (await query.update({ time_zone: timeZone, ...(chosen ? { time_zone_chosen: true } : {}) })) === 1;
}

/** Turns the user's single-key shortcuts on or off. */
export async function updateKeyboardShortcuts(db: Knex, userId: number, on: boolean): Promise<boolean> {
  return (await db('users').where({ id: userId }).update({ keyboard_shortcuts: on })) === 1;
}

/** Deletes the user; their tasks go with them through the foreign key's ON DELETE CASCADE. */
export async function deleteUser(db: Knex, userId: number): Promise<boolean> {
  return (await db('users').where({ id: userId }).delete()) === 1;
}
