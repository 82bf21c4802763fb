import crypto from 'node:crypto';
import { parse } from 'cookie';
import type { CookieOptions, Request } from 'express';
import type { Config } from '../config';

/**
 * Our cookies' names. In production (HTTPS) they carry the `__Host-` prefix: browsers then only
 * accept them Secure, for path /, without a Domain, so a sibling subdomain cannot plant one.
 */
export function cookieName(config: Config, name: string): string {
  return config.env === 'production' ? `__Host-gid.${name}` : `gid.${name}`;
}

/** HttpOnly, SameSite=Lax, path /, Secure in production: what every cookie of ours is. */
export function cookieOptions(config: Config, maxAgeMs?: number): CookieOptions {
  return {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.env === 'production',
    path: '/',
    ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
  };
}

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  // Most requests carry only the session cookie: skip the parse when the name is not there at all
  // (every page asks for the notice cookie).
  return header?.includes(name) ? parse(header)[name] : undefined;
}

export interface Signer {
  sign(value: string): string;
  /** The value, when the signature is ours; undefined for anything else. */
  unsign(signed: string): string | undefined;
}

/** HMAC-SHA-256 signatures, with a key of their own per purpose, for values a browser keeps for us. */
export function createSigner(secret: string, purpose: string): Signer {
  const key = crypto.createHmac('sha256', secret).update(`get-it-done:${purpose}`).digest();
  const mac = (value: string) => crypto.createHmac('sha256', key).update(value).digest('base64url');
  return {
    sign: (value) => `${value}.${mac(value)}`,
    unsign(signed) {
      const dot = signed.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const value = signed.slice(0, dot);
      const given = Buffer.from(signed.slice(dot + 1));
      const expected = Buffer.from(mac(value));
      return given.length === expected.length && crypto.timingSafeEqual(given, expected) ? value : undefined;
    },
  };
}

/** Constant-time equality of two strings (for tokens). */
export function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
