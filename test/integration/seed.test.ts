import type { Knex } from 'knex';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPasswords } from '../../src/passwords';
import { BULK_PASSWORD, bulkEmail, DEMO_EMAIL, DEMO_PASSWORD, seed } from '../../src/seed';
import { buildTestApp, type TestApp } from '../helpers/test-app';
import { csrfTokenFor, taskNames } from '../helpers/users';

let t: TestApp;
let db: Knex;
beforeEach(async () => {
  t = await buildTestApp();
  db = t.db;
});
afterEach(async () => {
  await t.close();
});

const count = async (table: string) => Number((await db(table).count({ n: '*' }).first())?.n);

describe('npm run seed', () => {
  it('creates a demo account with open and completed tasks that can log in', async () => {
    const result = await seed(db, createPasswords(4));
    expect(result.demoCreated).toBe(true);
    const agent = request.agent(t.app);
    const _csrf = await csrfTokenFor(agent);
    const login = await agent
      .post('/login')
      .type('form')
      .send({ _csrf, email: DEMO_EMAIL, password: DEMO_PASSWORD });
    expect(login.status).toBe(303);
    const home = await agent.get('/');
    expect(taskNames(home.text, 'open').length).toBeGreaterThan(0);
    expect(taskNames(home.text, 'completed').length).toBeGreaterThan(0);
  });

  it('running it twice neither fails nor duplicates', async () => {
    await seed(db, createPasswords(4), { users: 3, tasks: 4 });
    const before = { users: await count('users'), tasks: await count('tasks') };
    const again = await seed(db, createPasswords(4), { users: 3, tasks: 4 });
    expect(again).toEqual({ demoCreated: false, usersCreated: 0, tasksCreated: 0 });
    expect({ users: await count('users'), tasks: await count('tasks') }).toEqual(before);
    expect(before).toEqual({ users: 4, tasks: 5 + 12 });
  });

  it('inserts more tasks than SQLite allows in one compound insert (500 rows)', async () => {
    const result = await seed(db, createPasswords(4), { users: 2, tasks: 700 });
    expect(result.tasksCreated).toBe(1400);
    expect(await count('tasks')).toBe(5 + 1400);
  });

  it('fills bulk users whose shared password works, half their tasks completed', async () => {
    await seed(db, createPasswords(4), { users: 2, tasks: 10 });
    const agent = request.agent(t.app);
    const _csrf = await csrfTokenFor(agent);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf, email: bulkEmail(2), password: BULK_PASSWORD })
      .expect(303);
    const home = await agent.get('/');
    expect(home.text).toContain('5 tasks left');
  });
});
