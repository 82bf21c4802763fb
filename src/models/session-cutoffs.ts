import type { Knex } from 'knex';

// The session_cutoffs table: per user, the moment before which every session stops counting
// (findUserForSession in users.ts reads it with the user, in one query).

/** Every session of the user that logged in before `at` stops counting. */
export async function cutOffSessions(db: Knex, userId: number, at: number): Promise<void> {
  await db('session_cutoffs')
    .insert({ user_id: userId, valid_after: at })
    .onConflict('user_id')
    .merge(['valid_after']);
}
