import express from 'express';
import type { Knex } from 'knex';
import request from 'supertest';
import { expect, it } from 'vitest';
import { healthRouter } from '../../src/routes/health';

it('answers 503 "unavailable" when the database never answers, instead of waiting with it', async () => {
  // A database that accepted the query and went silent (a PostgreSQL host that vanished).
  const silent = () => ({
    first: () => new Promise(() => {}),
    where: () => ({ delete: () => new Promise(() => {}) }),
  });
  const app = express().use(healthRouter({ db: silent as unknown as Knex, isDraining: () => false }));
  const res = await request(app).get('/healthz');
  expect(res.status).toBe(503);
  expect(res.body).toEqual({ status: 'unavailable' });
});
