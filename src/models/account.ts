import type { Knex } from 'knex';
import type { ExportedTask, ImportedTask } from '../task-files';
import { toDate } from './db-errors';
import type { TaskRow } from './tasks';
import type { User } from './users';

// Queries behind the account page. Like every task query, each one is scoped by the user's id
// in its WHERE clause.

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
 * The user a session belongs to, or undefined when the user is gone or the session logged in
 * before the user's sessions were cut off (a password change). One query, on every request.
 */
export async function findUserForSession(
  db: Knex,
  userId: number,
  authAt: number | undefined,
): Promise<User | undefined> {
  const row = await db('users')
    .leftJoin('session_cutoffs', 'session_cutoffs.user_id', 'users.id')
    .where('users.id', userId)
    .first<
      | { id: number; email: string; created_at: string | Date; valid_after: number | string | null }
      | undefined
    >('users.id', 'users.email', 'users.created_at', 'session_cutoffs.valid_after');
  if (!row) return undefined;
  if (row.valid_after !== null && (authAt ?? 0) < Number(row.valid_after)) return undefined;
  return { id: row.id, email: row.email, createdAt: toDate(row.created_at)! };
}

/** Every session of the user that logged in before `at` stops counting. */
export async function cutOffSessions(db: Knex, userId: number, at: number): Promise<void> {
  await db('session_cutoffs')
    .insert({ user_id: userId, valid_after: at })
    .onConflict('user_id')
    .merge(['valid_after']);
}

/** Deletes the user; their tasks go with them through the foreign key's ON DELETE CASCADE. */
export async function deleteUser(db: Knex, userId: number): Promise<boolean> {
  return (await db('users').where({ id: userId }).delete()) === 1;
}

/** Every task of the user, oldest first, in the export's shape (times as ISO 8601 UTC). */
export async function exportTasks(db: Knex, ownerId: number): Promise<ExportedTask[]> {
  const rows = await db<TaskRow>('tasks')
    .where('owner_id', ownerId)
    .orderBy('id', 'asc')
    .select<Pick<TaskRow, 'name' | 'completed' | 'created_at' | 'completed_at'>[]>(
      'name',
      'completed',
      'created_at',
      'completed_at',
    );
  return rows.map((row) => ({
    name: row.name,
    completed: Boolean(row.completed),
    created_at: toDate(row.created_at)!.toISOString(),
    completed_at: toDate(row.completed_at)?.toISOString() ?? null,
  }));
}

/**
 * SQLite keeps timestamps as CURRENT_TIMESTAMP text ('YYYY-MM-DD HH:MM:SS', UTC) and Knex would
 * bind a Date as integer milliseconds, so imported times are written in the column's own format;
 * other databases take the Date.
 */
function timestampFor(db: Knex, date: Date): string | Date {
  const client = String(db.client.config.client ?? '');
  return client.includes('sqlite') ? date.toISOString().slice(0, 19).replace('T', ' ') : date;
}

const INSERT_BATCH = 200;

/** Adds the tasks in one transaction: all of them or, on any error, none. */
export async function importTasks(
  db: Knex,
  ownerId: number,
  tasks: readonly ImportedTask[],
): Promise<number> {
  if (tasks.length === 0) return 0;
  const now = new Date();
  const rows = tasks.map((task) => ({
    owner_id: ownerId,
    name: task.name,
    completed: task.completed,
    created_at: timestampFor(db, task.createdAt ?? now),
    completed_at: task.completed ? timestampFor(db, task.completedAt ?? task.createdAt ?? now) : null,
  }));
  await db.transaction(async (trx) => {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await trx('tasks').insert(rows.slice(i, i + INSERT_BATCH));
    }
  });
  return rows.length;
}
