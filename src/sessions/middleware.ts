import session from 'express-session';
import type { Config } from '../config';

/**
 * The session cookie's name. In production (HTTPS) it carries the `__Host-` prefix: browsers
 * then only accept it Secure, for path /, and without a Domain, so a sibling subdomain cannot
 * plant or overwrite it.
 */
export function sessionCookieName(config: Config): string {
  return config.env === 'production' ? '__Host-gid.sid' : 'gid.sid';
}

export function sessions(config: Config, store: session.Store, secret: string) {
  return session({
    name: sessionCookieName(config),
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    // The browser's cookie is renewed on every response (no store write), so 14 days means
    // 14 days without a visit; the store's own expiry is kept fresh by touch(). However often it
    // is renewed, a login lasts at most config.sessionAbsoluteMs (see auth/current-user.ts).
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.env === 'production',
      path: '/',
      maxAge: config.sessionMaxAgeMs,
    },
  });
}
