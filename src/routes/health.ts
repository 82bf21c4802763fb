import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { HEALTH_CHECK_TIMEOUT_MS } from '../limits';

/** Rejects after `ms`; the timer is cleared once `work` settles. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('health check timed out')), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter({ db, isDraining }: { db: Knex; isDraining: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', getHealth);
  return router;

  async function getHealth(_req: Request, res: Response) {
    res.set('Cache-Control', 'no-store');
    if (isDraining()) {
      res.status(503).json({ status: 'shutting down' });
      return;
    }
    const check = (async () => {
      await db('users').first('id'); // a real read of the database file, not just the driver
      // ...and a write that changes nothing: it needs the write lock, so a database that can be
      // read but not written (another process holds the lock, a read-only file) is not "ok".
      await db('users').where('id', -1).delete();
    })();
    check.catch(() => {}); // a check still running at the deadline fails later, unheard
    try {
      // A database that does not answer (a PostgreSQL host gone silent) is "unavailable" within
      // the deadline, not a health check that hangs until the statement timeout.
      await within(check, HEALTH_CHECK_TIMEOUT_MS);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  }
}
