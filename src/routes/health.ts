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
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  }
}
