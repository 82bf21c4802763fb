import session from 'express-session';
import type { Config } from '../config';

export const SESSION_COOKIE = 'gid.sid';

export function sessionCookieOptions(config: Config) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: config.env === 'production',
    path: '/',
  };
}

export function sessions(config: Config, store: session.Store, secret: string) {
  return session({
    name: SESSION_COOKIE,
    secret,
    store,
    resave: false,
    saveUninitialized: false,
    // The browser's cookie is renewed on every response (no store write), so 14 days means
    // 14 days without a visit; the store's own expiry is kept fresh by touch().
    rolling: true,
    cookie: { ...sessionCookieOptions(config), maxAge: config.sessionMaxAgeMs },
  });
}
