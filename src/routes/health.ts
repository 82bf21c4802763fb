import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';

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
    try {
      await db('users').first('id'); // a real read of the database file, not just the driver
      // ...and a write that changes nothing: it needs the write lock, so a database that can be
      // read but not written (another process holds the lock, a read-only file) is not "ok".
      await db('users').where('id', -1).delete();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  }
}
