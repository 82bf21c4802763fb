import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { TASK_NAME_MAX } from '../../src/limits';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import { postForm, registerUser, taskIds, taskNames, registerUserWithTasks } from '../helpers/users';

const t = useTestApp();

const userWithTasks = (...names: string[]) => registerUserWithTasks(t.app, ...names);

describe('the home page', () => {
  it('lists the user’s open and completed tasks separately', async () => {
    const { agent } = await userWithTasks('Buy milk', 'Call mum');
    const ids = taskIds((await agent.get('/')).text, 'open');
    await postForm(agent, `/tasks/${ids[0]}/complete`);
    const home = await agent.get('/');
    expect(taskNames(home.text, 'open')).toEqual(['Call mum']);
    expect(taskNames(home.text, 'completed')).toEqual(['Buy milk']);
    expect(home.text).toContain('1 task left');
  });

  it('never shows another user’s tasks', async () => {
    await userWithTasks('Alice’s secret');
    const bob = await registerUser(t.app);
    const home = await bob.agent.get('/');
    expect(home.text).not.toContain('Alice’s secret');
    expect(taskNames(home.text, 'open')).toEqual([]);
  });
});

describe('adding a task', () => {
  it('creates an open task, trimmed, and says so', async () => {
    const { agent } = await registerUser(t.app);
    const res = await postForm(agent, '/', { task: '   Water the plants  ' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const home = await agent.get('/');
    expect(taskNames(home.text, 'open')).toEqual(['Water the plants']);
    expect(home.text).toContain(taskMessages.taskAdded('Water the plants'));
  });

  it('refuses a blank task with a 422 and creates nothing', async () => {
    const { agent } = await registerUser(t.app);
    const res = await postForm(agent, '/', { task: '   ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(taskMessages.taskBlank);
    expect(await t.db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it(`accepts ${TASK_NAME_MAX} characters and refuses ${TASK_NAME_MAX + 1}, keeping the text`, async () => {
    const { agent } = await registerUser(t.app);
    expect((await postForm(agent, '/', { task: 'a'.repeat(TASK_NAME_MAX) })).status).toBe(303);
    const res = await postForm(agent, '/', { task: 'b'.repeat(TASK_NAME_MAX + 1) });
    expect(res.status).toBe(422);
    expect(res.text).toContain(taskMessages.taskTooLong);
    expect(res.text).toContain(`value="${'b'.repeat(TASK_NAME_MAX + 1)}"`);
    expect(await t.db('tasks').count({ n: '*' }).first()).toEqual({ n: 1 });
  });

  it('refuses a task sent twice as an array with a 422', async () => {
    const { agent } = await registerUser(t.app);
    const page = await agent.get('/');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent.post('/').type('form').send(`_csrf=${token}&task=a&task=b`);
    expect(res.status).toBe(422);
    expect(await t.db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('ignores an owner_id in the form: the task belongs to whoever is logged in', async () => {
    const alice = await registerUser(t.app);
    const bob = await registerUser(t.app);
    const aliceId = (await t.db('users').where({ email: alice.email }).first()).id;
    await postForm(bob.agent, '/', { task: 'Mine', owner_id: String(aliceId) });
    expect(taskNames((await alice.agent.get('/')).text, 'open')).toEqual([]);
    expect(taskNames((await bob.agent.get('/')).text, 'open')).toEqual(['Mine']);
  });

  it('shows markup in a task name as text, never as HTML', async () => {
    const { agent } = await registerUser(t.app);
    await postForm(agent, '/', { task: '<script>alert(1)</script>' });
    const home = await agent.get('/');
    expect(home.text).not.toContain('<script>alert(1)</script>');
    expect(home.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('completing a task', () => {
  it('completes through the original /delete-task form with task-id', async () => {
    const { agent } = await userWithTasks('Old style');
    const [id] = taskIds((await agent.get('/')).text, 'open');
    const res = await postForm(agent, '/delete-task', { 'task-id': String(id) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const home = await agent.get('/');
    expect(taskNames(home.text, 'completed')).toEqual(['Old style']);
    expect(home.text).toContain(taskMessages.taskCompleted('Old style'));
  });

  it('completes through POST /tasks/:id/complete', async () => {
    const { agent } = await userWithTasks('New style');
    const [id] = taskIds((await agent.get('/')).text, 'open');
    const res = await postForm(agent, `/tasks/${id}/complete`);
    expect(res.status).toBe(303);
    expect(taskNames((await agent.get('/')).text, 'completed')).toEqual(['New style']);
  });

  it('answers 404 and changes nothing when the task is another user’s', async () => {
    const alice = await userWithTasks('Alice’s task');
    const [id] = taskIds((await alice.agent.get('/')).text, 'open');
    const bob = await registerUser(t.app);
    expect((await postForm(bob.agent, '/delete-task', { 'task-id': String(id) })).status).toBe(404);
    expect((await postForm(bob.agent, `/tasks/${id}/complete`)).status).toBe(404);
    const row = await t.db('tasks').where({ id }).first();
    expect(Boolean(row.completed)).toBe(false);
  });

  it('answers 404 for ids that are not ids', async () => {
    const { agent } = await registerUser(t.app);
    for (const id of ['0', '-1', '1e309', '1 OR 1=1', '99999999999', 'abc']) {
      expect((await postForm(agent, '/delete-task', { 'task-id': id })).status).toBe(404);
    }
    expect((await postForm(agent, '/tasks/abc/complete')).status).toBe(404);
    expect((await postForm(agent, '/delete-task')).status).toBe(404);
  });
});

describe('anonymous requests', () => {
  it('cannot add tasks', async () => {
    const agent = request.agent(t.app);
    const res = await postForm(agent, '/', { task: 'sneaky' }, '/login');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(await t.db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});
