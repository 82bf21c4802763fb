import type { Request } from 'express';

// express-session's callback API as promises. regenerate() drops every field of the old
// session (the CSRF token too), so set what the new session needs after it.
export const regenerateSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));

export const saveSession = (req: Request) =>
  new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));

/** Regenerates the session id (defeats fixation) and stores the user in the new session. */
export async function startUserSession(req: Request, userId: number): Promise<void> {
  await regenerateSession(req);
  req.session.userId = userId;
  req.session.authAt = Date.now();
}
