import { describe, expect, it } from 'vitest';
import { createPasswords } from '../../src/auth/passwords';
import { seed } from '../../src/cli/seed-data';
import { ConfigError } from '../../src/config';
import { importMessages } from '../../src/messages/import';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import { csrfTokenFor, escapeHtml, postForm, registerUser, taskNames, type Agent } from '../helpers/users';

const QUOTA = 3;
const t = useTestApp({ MAX_TASKS_PER_USER: String(QUOTA) });

async function taskCount(): Promise<number> {
  const row = await t.db('tasks').count({ n: '*' }).first<{ n: number }>();
  return Number(row.n);
}

async function upload(agent: Agent, content: string) {
  const _csrf = await csrfTokenFor(agent, '/account');
  return agent
    .post('/account/import')
    .field('_csrf', _csrf)
    .attach('file', Buffer.from(content), 'tasks.csv');
}

const csvOf = (...names: string[]) => `name\r\n${names.join('\r\n')}\r\n`;

async function fullAccount() {
  const user = await registerUser(t.app);
  for (let i = 1; i <= QUOTA; i++)
    expect((await postForm(user.agent, '/', { task: `task ${i}` })).status).toBe(303);
  return user;
}

describe('the task quota (MAX_TASKS_PER_USER)', () => {
  it('refuses an add past the quota with a 422 by the field, keeping what was typed', async () => {
    const { agent } = await fullAccount();
    const res = await postForm(agent, '/', { task: 'one too many' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(escapeHtml(taskMessages.taskQuotaFull(QUOTA)));
    expect(res.text).toContain('value="one too many"');
    expect(taskNames(res.text, 'open')).toEqual(['task 1', 'task 2', 'task 3']);
    expect(await taskCount()).toBe(QUOTA);
  });

  it('answers the enhancing script with the 422 as JSON, naming the field', async () => {
    const { agent } = await fullAccount();
    const _csrf = await csrfTokenFor(agent, '/');
    const res = await agent
      .post('/')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, task: 'one too many' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: { status: 422, message: taskMessages.taskQuotaFull(QUOTA), field: 'task' },
    });
  });

  it("counts each account on its own: another user's full list does not stop you", async () => {
    await fullAccount();
    const other = await registerUser(t.app);
    expect((await postForm(other.agent, '/', { task: 'mine' })).status).toBe(303);
  });

  it('lets an add through again once a task is deleted', async () => {
    const { agent } = await fullAccount();
    const [first] = (await t.db('tasks').select('id').orderBy('id')) as { id: number }[];
    expect((await postForm(agent, `/tasks/${first!.id}/delete`)).status).toBe(303);
    expect((await postForm(agent, '/', { task: 'fits again' })).status).toBe(303);
    expect(await taskCount()).toBe(QUOTA);
  });

  it('holds under a burst of parallel adds: exactly the quota is stored', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        agent
          .post('/')
          .type('form')
          .send({ _csrf, task: `parallel ${i}` })
          .then((res) => res.status),
      ),
    );
    expect(statuses.filter((status) => status === 303)).toHaveLength(QUOTA);
    expect(statuses.filter((status) => status === 422)).toHaveLength(10 - QUOTA);
    expect(await taskCount()).toBe(QUOTA);
  });

  it('refuses a whole import that would pass the quota, naming the numbers, and adds nothing', async () => {
    const { agent } = await registerUser(t.app);
    expect((await postForm(agent, '/', { task: 'already here' })).status).toBe(303);
    const res = await upload(agent, csvOf('a', 'b', 'c'));
    expect(res.status).toBe(422);
    expect(res.text).toContain(escapeHtml(importMessages.importOverQuota(3, 2, QUOTA)));
    expect(res.text).toContain('The file has 3 tasks to add, but only 2 more fit in your account');
    expect(await taskCount()).toBe(1);

    const full = await fullAccount();
    const none = await upload(full.agent, csvOf('x'));
    expect(none.status).toBe(422);
    expect(none.text).toContain('The file has 1 task to add, but no more fit in your account');
  });

  it('imports a file that fills the account exactly', async () => {
    const { agent } = await registerUser(t.app);
    expect((await postForm(agent, '/', { task: 'already here' })).status).toBe(303);
    const res = await upload(agent, csvOf('a', 'b'));
    expect(res.status).toBe(303);
    expect(taskNames((await agent.get('/')).text, 'open')).toEqual(['already here', 'a', 'b']);
  });

  it('is respected by the seed: more tasks per user than the quota seeds nothing', async () => {
    const usersBefore = Number((await t.db('users').count({ n: '*' }).first())?.n);
    const seeding = seed(t.db, createPasswords(4), { users: 2, tasks: QUOTA + 1, maxTasksPerUser: QUOTA });
    await expect(seeding).rejects.toThrow(ConfigError);
    await expect(seeding).rejects.toThrow(/MAX_TASKS_PER_USER is 3/);
    expect(Number((await t.db('users').count({ n: '*' }).first())?.n)).toBe(usersBefore);
    expect(await taskCount()).toBe(0);
  });
});
