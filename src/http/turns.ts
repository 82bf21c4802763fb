import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/**
 * Jobs that take turns: one runs at a time, the others wait in the order they came, and each
 * next one starts on a later turn of the event loop (setImmediate), after the I/O that is waiting
 * has been handled. For bulk work cut into short jobs (an export's pages): however many exports
 * run at once, other requests wait for at most one of their pages between two of their own steps.
 */
export interface Turns {
  run<T>(job: () => Promise<T>): Promise<T>;
}

/** How many turns a job waits at most while pages are waiting (so bulk work never starves). */
export const MAX_TURNS_GIVEN_WAY = 4;

/**
 * `giveWayTo` tells whether requests are waiting for their turn (takeTurns below): a job then
 * lets them go first, for up to MAX_TURNS_GIVEN_WAY turns. A page someone waits for comes before
 * the next page of an export; under a full load, exports go on at about a fifth of their speed.
 */
export function createTurns(giveWayTo: () => boolean = () => false): Turns {
  let busy = false;
  const waiting: (() => void)[] = [];
  return {
    async run(job) {
      if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
      busy = true;
      try {
        for (let given = 0; given < MAX_TURNS_GIVEN_WAY && giveWayTo(); given++) {
          await new Promise((resolve) => setImmediate(resolve));
        }
        return await job();
      } finally {
        // The next job starts on a later turn; it stays busy until then, so none can jump the queue.
        const next = waiting.shift();
        if (next) setImmediate(next);
        else busy = false;
      }
    },
  };
}

/** The middleware, and whether requests are waiting for their turn (for createTurns' giveWayTo). */
export type RequestTurns = ((req: Request, res: Response, next: NextFunction) => void) & {
  waiting(): boolean;
};

/**
 * Requests take turns: one request's own work (its queries, its page) starts per turn of the
 * event loop, in the order the requests reached this point. Without it, every request whose
 * session arrived in the same poll phase ran there back to back: with 50 busy connections one
 * turn lasted 50 requests (about 70 ms at W1's 1.4 ms), and timers, new connections and the other
 * requests' next steps waited all that time. Each request goes on in its own async context
 * (an AsyncResource made where it arrived), not in that of the one whose turn scheduled it; not
 * AsyncResource.bind, which also defines two deprecated accessors on every bound function (about
 * 1% of a W1 profile). Tests that fake timers must leave setImmediate real, or no request gets
 * past this point.
 */
export function takeTurns(): RequestTurns {
  const waiting: { context: AsyncResource; next: NextFunction }[] = [];
  const runNext = () => {
    const turn = waiting.shift();
    if (waiting.length > 0) setImmediate(runNext); // the one after it: on the next turn
    turn?.context.runInAsyncScope(turn.next);
  };
  const requestTurn = (_req: Request, _res: Response, next: NextFunction): void => {
    waiting.push({ context: new AsyncResource('RequestTurn'), next });
    if (waiting.length === 1) setImmediate(runNext);
  };
  return Object.assign(requestTurn, { waiting: () => waiting.length > 0 });
}
