import type { Knex } from 'knex';
import { timestampFor } from '../db/dialect';

// The password_resets table: one row per reset link sent, keyed by the SHA-256 of its token.
// A link is usable while used_at is null and expires_at is in the future.

/** Who a usable link belongs to (the email is for the "not your email" password rule). */
export interface UsableReset {
  userId: number;
  email: string;
}

const usable = (db: Knex, now: Date) => (query: Knex.QueryBuilder) =>
  query.whereNull('password_resets.used_at').where('password_resets.expires_at', '>', timestampFor(db, now));

/**
 * Stores a new link for the user and retires the user's older ones (only the newest link
 * works). Rows that expired for anyone are cleared on the way, so the table stays small.
 */
export async function createPasswordReset(
  db: Knex,
  fields: { userId: number; tokenHash: string; expiresAt: Date },
  now = new Date(),
): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('password_resets').where('expires_at', '<=', timestampFor(trx, now)).delete();
    await revokePasswordResets(trx, fields.userId, now);
    await trx('password_resets').insert({
      user_id: fields.userId,
      token_hash: fields.tokenHash,
      created_at: timestampFor(trx, now),
      expires_at: timestampFor(trx, fields.expiresAt),
    });
  });
}

export async function findUsablePasswordReset(
  db: Knex,
  tokenHash: string,
  now = new Date(),
): Promise<UsableReset | undefined> {
  const row = await db('password_resets')
    .join('users', 'users.id', 'password_resets.user_id')
    .where('password_resets.token_hash', tokenHash)
    .modify(usable(db, now))
    .first<{ user_id: number; email: string } | undefined>('password_resets.user_id', 'users.email');
  return row && { userId: row.user_id, email: row.email };
}

/**
 * Spends the link in one UPDATE that only matches while it is still usable, so of two
 * requests racing with the same link exactly one gets the user id; the other gets undefined.
 */
export async function spendPasswordReset(
  db: Knex,
  tokenHash: string,
  now = new Date(),
): Promise<number | undefined> {
  const [row] = await db('password_resets')
    .where('token_hash', tokenHash)
    .modify(usable(db, now))
    .update({ used_at: timestampFor(db, now) })
    .returning<{ user_id: number }[]>('user_id');
  return row?.user_id;
}

/** Every link the user still holds stops working (a newer link, a password change). */
export async function revokePasswordResets(db: Knex, userId: number, now = new Date()): Promise<void> {
  await db('password_resets')
    .where('user_id', userId)
    .whereNull('used_at')
    .update({ used_at: timestampFor(db, now) });
}
