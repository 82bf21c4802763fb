import { describe, expect, it } from 'vitest';
import { hashResetToken, isResetTokenShaped, newResetToken } from '../../src/auth/reset-tokens';
import {
  createPasswordReset,
  findUsablePasswordReset,
  revokePasswordResets,
  spendPasswordReset,
} from '../../src/models/password-resets';
import { useMigratedDb } from '../helpers/test-app';

const fresh = useMigratedDb();
const HOUR = 60 * 60 * 1000;

async function newUser(email = 'reset@example.com') {
  const [user] = await fresh.db('users').insert({ email, password_hash: 'h' }).returning(['id']);
  return user.id as number;
}

describe('password reset links in the database', () => {
  it('keep only the SHA-256 of a 256-bit token', async () => {
    const userId = await newUser();
    const { token, tokenHash } = newResetToken();
    expect(isResetTokenShaped(token)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(tokenHash).toBe(hashResetToken(token));
    await createPasswordReset(fresh.db, { userId, tokenHash, expiresAt: new Date(Date.now() + HOUR) });
    const rows = await fresh.db('password_resets').select('token_hash');
    expect(rows).toEqual([{ token_hash: tokenHash }]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('work until they expire, and once', async () => {
    const userId = await newUser();
    const { tokenHash } = newResetToken();
    const now = new Date('2026-12-01T10:00:00Z');
    await createPasswordReset(
      fresh.db,
      { userId, tokenHash, expiresAt: new Date(now.getTime() + HOUR) },
      now,
    );
    const later = (ms: number) => new Date(now.getTime() + ms);
    expect(await findUsablePasswordReset(fresh.db, tokenHash, later(HOUR - 1000))).toEqual({
      userId,
      email: 'reset@example.com',
    });
    expect(await findUsablePasswordReset(fresh.db, tokenHash, later(HOUR + 1000))).toBeUndefined();
    expect(await spendPasswordReset(fresh.db, tokenHash, later(HOUR + 1000))).toBeUndefined();
    expect(await spendPasswordReset(fresh.db, tokenHash, later(60_000))).toBe(userId);
    expect(await spendPasswordReset(fresh.db, tokenHash, later(61_000))).toBeUndefined();
    expect(await findUsablePasswordReset(fresh.db, tokenHash, later(62_000))).toBeUndefined();
  });

  it('stop working when a newer one is made or they are revoked; other users keep theirs', async () => {
    const alice = await newUser('alice@example.com');
    const bob = await newUser('bob@example.com');
    const expiresAt = new Date(Date.now() + HOUR);
    const first = newResetToken();
    const second = newResetToken();
    const bobs = newResetToken();
    await createPasswordReset(fresh.db, { userId: alice, tokenHash: first.tokenHash, expiresAt });
    await createPasswordReset(fresh.db, { userId: bob, tokenHash: bobs.tokenHash, expiresAt });
    await createPasswordReset(fresh.db, { userId: alice, tokenHash: second.tokenHash, expiresAt });
    expect(await findUsablePasswordReset(fresh.db, first.tokenHash)).toBeUndefined();
    expect(await findUsablePasswordReset(fresh.db, second.tokenHash)).toMatchObject({ userId: alice });
    await revokePasswordResets(fresh.db, alice);
    expect(await findUsablePasswordReset(fresh.db, second.tokenHash)).toBeUndefined();
    expect(await findUsablePasswordReset(fresh.db, bobs.tokenHash)).toMatchObject({ userId: bob });
  });

  it('are cleared once expired, and go with their user', async () => {
    const userId = await newUser();
    const old = newResetToken();
    await createPasswordReset(fresh.db, {
      userId,
      tokenHash: old.tokenHash,
      expiresAt: new Date(Date.now() - 1000),
    });
    await createPasswordReset(fresh.db, {
      userId,
      tokenHash: newResetToken().tokenHash,
      expiresAt: new Date(Date.now() + HOUR),
    });
    expect(await fresh.db('password_resets').where('token_hash', old.tokenHash)).toEqual([]);
    await fresh.db('users').where({ id: userId }).delete();
    expect(await fresh.db('password_resets')).toEqual([]);
  });

  it('has a migration that goes down and up again', async () => {
    await fresh.db.migrate.down({ name: '20261201000000_create_password_resets' });
    expect(await fresh.db.schema.hasTable('password_resets')).toBe(false);
    await fresh.db.migrate.up({ name: '20261201000000_create_password_resets' });
    expect(await fresh.db.schema.hasTable('password_resets')).toBe(true);
  });
});
