import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import {
  PASSWORD_RESET_REQUESTS_PER_EMAIL,
  PASSWORD_RESET_REQUESTS_PER_IP,
  PASSWORD_RESET_WINDOW_MS,
} from '../limits';
import { AttemptCounter } from './attempt-counter';

/**
 * How many reset emails an address may ask for, and an account may be sent, per window: no
 * mailbox gets flooded, no address sprays the whole user list. Over the limit, the route
 * answers exactly as usual and sends nothing, so the limit reveals nothing either.
 */
export interface ResetRequestLimit {
  /** Counts one request from this client for this email; false when either is over its limit. */
  allow(req: Request, email: string): Promise<boolean>;
}

/** Counters in this process's memory (async, so a shared store can replace them). */
export function createResetRequestLimit(): ResetRequestLimit {
  const byAddress = new AttemptCounter(PASSWORD_RESET_REQUESTS_PER_IP, PASSWORD_RESET_WINDOW_MS);
  const byEmail = new AttemptCounter(PASSWORD_RESET_REQUESTS_PER_EMAIL, PASSWORD_RESET_WINDOW_MS);
  return {
    async allow(req, email) {
      const address = ipKeyGenerator(req.ip ?? '');
      if (byAddress.blockedUntil(address) !== undefined || byEmail.blockedUntil(email) !== undefined) {
        return false;
      }
      byAddress.hit(address);
      byEmail.hit(email);
      return true;
    },
  };
}
