import session from 'express-session';
import type { Config } from '../config';
import { cookieName, cookieOptions } from '../http/cookies';

/** The session cookie's name: gid.sid, and __Host-gid.sid in production (see http/cookies.ts). */
export const sessionCookieName = (config: Config) => cookieName(config, 'sid');

export function sessions(config: Config, store: session.Store, secret: string) {
  return session({
    name: sessionCookieName(config),
    secret,
    store,
    resave: false,
    // Nothing is stored for a visitor until there is something to keep (a login).
    saveUninitialized: false,
    // The browser's cookie is sent (signed) when the session changes, not on every response:
    // a signed-in session changes at least hourly with use (its "last seen", sessions/last-seen.ts),
    // so 14 days still means 14 days without a visit, to within the hour; the store's own expiry
    // is kept fresh by touch(). However often it is renewed, a login lasts at most
    // config.sessionAbsoluteMs (see auth/current-user.ts).
    rolling: false,
    cookie: cookieOptions(config, config.sessionMaxAgeMs),
  });
}
