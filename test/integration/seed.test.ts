import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createPasswords } from '../../src/auth/passwords';
import { BULK_PASSWORD, bulkEmail, DEMO_EMAIL, DEMO_PASSWORD, seed } from '../../src/cli/seed-data';
import { useTestApp } from '../helpers/test-app';
import { csrfTokenFor, taskNames } from '../helpers/users';

const t = useTestApp();
const count = async (table: string) => Number((await t.db(table).count({ n: '*' }).first())?.n);

describe('npm run seed', () => {
  it('creates a demo account with open and completed tasks that can log in', async () => {
    const result = await seed(t.db, createPasswords(4));
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
    await seed(t.db, createPasswords(4), { users: 3, tasks: 4 });
    const before = { users: await count('users'), tasks: await count('tasks') };
    const again = await seed(t.db, createPasswords(4), { users: 3, tasks: 4 });
    expect(again).toEqual({ demoCreated: false, usersCreated: 0, tasksCreated: 0 });
    expect({ users: await count('users'), tasks: await count('tasks') }).toEqual(before);
    expect(before).toEqual({ users: 4, tasks: 5 + 12 });
  });

  it('inserts large batches (more rows than one SQLite compound insert may hold)', async () => {
    const result = await seed(t.db, createPasswords(4), { users: 3, tasks: 700 });
    expect(result).toEqual({ demoCreated: true, usersCreated: 3, tasksCreated: 2100 });
    expect(await count('tasks')).toBe(2100 + 5);
  });

  it('fills bulk users whose shared password works, half their tasks completed', async () => {
    await seed(t.db, createPasswords(4), { users: 2, tasks: 10 });
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
