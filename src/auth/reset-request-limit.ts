import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import {
  PASSWORD_RESET_REQUESTS_PER_EMAIL,
  PASSWORD_RESET_REQUESTS_PER_IP,
  PASSWORD_RESET_WINDOW_MS,
} from '../limits';
import type { AttemptCounters } from './attempt-counter';

/**
 * How many reset emails an address may ask for, and an account may be sent, per window: no
 * mailbox gets flooded, no address sprays the whole user list. Over the limit, the route
 * answers exactly as usual and sends nothing, so the limit reveals nothing either.
 */
export interface ResetRequestLimit {
  /** Counts one request from this client for this email; false when either is over its limit. */
  allow(req: Request, email: string): Promise<boolean>;
}

/** Counted in the shared rate_limits table, like the login limits (every process and instance). */
export function createResetRequestLimit(counters: AttemptCounters): ResetRequestLimit {
  const byAddress = counters.counter('reset-ip:', PASSWORD_RESET_WINDOW_MS);
  const byEmail = counters.counter('reset-email:', PASSWORD_RESET_WINDOW_MS);
  return {
    async allow(req, email) {
      const addressBlocked = await byAddress.attempt(
        ipKeyGenerator(req.ip ?? ''),
        PASSWORD_RESET_REQUESTS_PER_IP,
      );
      if (addressBlocked !== undefined) return false;
      return (await byEmail.attempt(email, PASSWORD_RESET_REQUESTS_PER_EMAIL)) === undefined;
    },
  };
}
