import type { Knex } from 'knex';
import { isUniqueViolation, toDate } from './db-errors';

export interface User {
  id: number;
  email: string;
  createdAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

interface UserRow {
  id: number;
  email: string;
  password_hash: string;
  created_at: string | Date;
}

function toUser(row: UserRow): UserWithHash {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    createdAt: toDate(row.created_at)!,
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
  return row && toUser(row);
}

export async function findUserById(db: Knex, id: number): Promise<User | undefined> {
  const row = await db<UserRow>('users').select('id', 'email', 'created_at').where({ id }).first();
  return row && { id: row.id, email: row.email, createdAt: toDate(row.created_at)! };
}

/** Creates the user, or returns undefined when the email is taken (in any letter case). */
export async function createUser(
  db: Knex,
  fields: { email: string; passwordHash: string },
): Promise<User | undefined> {
  try {
    const [row] = await db<UserRow>('users')
      .insert({ email: normaliseEmail(fields.email), password_hash: fields.passwordHash })
      .returning(['id', 'email', 'created_at']);
    return row && { id: row.id, email: row.email, createdAt: toDate(row.created_at)! };
  } catch (err) {
    if (isUniqueViolation(err)) return undefined;
    throw err;
  }
}
