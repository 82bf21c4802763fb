import type { Request } from 'express';

/** What the security log records: sign-ins and their failures, limits hit, account changes, sessions signed out. */
export type SecurityEvent =
  | 'auth.ok'
  | 'auth.fail'
  | 'auth.logout'
  | 'auth.throttled'
  | 'password.changed'
  | 'password.check.fail'
  | 'password.reset.requested'
  | 'password.reset.used'
  | 'account.deleted'
  | 'session.revoked';

/**
 * One log line per security event, with the client's address and (when known) the account's
 * id, never its email, password or a token, so a line can be kept and shared safely.
 */
export function logSecurityEvent(
  req: Request,
  event: SecurityEvent,
  fields: { userId?: number; [key: string]: unknown } = {},
): void {
  const level = event === 'auth.throttled' ? 'warn' : 'info';
  req.log[level]({ event, ip: req.ip, ...fields }, event);
}
