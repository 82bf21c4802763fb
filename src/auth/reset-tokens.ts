import crypto from 'node:crypto';

// Reset links carry 32 random bytes (256 bits) as base64url; the database keeps only their
// SHA-256. A slow hash would add nothing: the token is random, not a password to guess.

const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/; // 32 bytes in unpadded base64url

export function hashResetToken(token: string): string {
  return crypto.createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newResetToken(): { token: string; tokenHash: string } {
  const token = crypto.randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashResetToken(token) };
}

/** Whether a link's last segment could be a token at all (anything else needs no database). */
export function isResetTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}
