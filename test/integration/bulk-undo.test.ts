import { describe, expect, it } from 'vitest';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  escapeHtml,
  postForm,
  registerUserWithTasks,
  taskIds,
  taskNames,
  type Agent,
} from '../helpers/users';

const t = useTestApp();

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;
const undoAction = (page: string) => /<form method="post" action="(\/tasks\/undo\/\d+)"/.exec(page)?.[1];
const exported = async (agent: Agent) =>
  JSON.parse((await agent.get('/account/export.json')).text) as Record<string, unknown>[];

async function userWith(...names: string[]) {
  const user = await registerUserWithTasks(t.app, ...names);
  const idOf = (name: string) => user.ids[names.indexOf(name)]!;
  return { ...user, idOf };
}

describe('Undo for Complete all', () => {
  it('reopens exactly the tasks it completed', async () => {
    const { agent, idOf } = await userWith('done before', 'a', 'b', 'c');
    await postForm(agent, `/tasks/${idOf('done before')}/complete`);
    const res = await postForm(agent, '/tasks/complete-all', { return_to: '/?filter=open' });
    expect(res.status).toBe(303);
    const page = await home(agent, '/?filter=open');
    expect(page).toContain(escapeHtml(taskMessages.completedAll(3)));
    const undo = undoAction(page);
    expect(undo).toMatch(/^\/tasks\/undo\/\d+$/);
    expect(page).toContain('<button type="submit" class="button button--small">Undo</button>');

    const undone = await postForm(agent, undo!, { return_to: '/?filter=open' });
    expect(undone.status).toBe(303);
    expect(undone.headers.location).toBe('/?filter=open');
    const after = await home(agent);
    expect(taskNames(after, 'open')).toEqual(['a', 'b', 'c']);
    expect(taskNames(after, 'completed')).toEqual(['done before']);
    expect(after).toContain(escapeHtml(taskMessages.reopenedAll(3)));
    // Once only.
    expect((await postForm(agent, undo!)).status).toBe(404);
  });

  it('offers no Undo when there was nothing to complete', async () => {
    const { agent, idOf } = await userWith('a');
    await postForm(agent, `/tasks/${idOf('a')}/complete`);
    await postForm(agent, '/tasks/complete-all');
    const page = await home(agent);
    expect(page).toContain(escapeHtml(taskMessages.completedAll(0)));
    expect(undoAction(page)).toBeUndefined();
  });
});

describe('Undo for Clear completed', () => {
  it('puts back exactly the cleared tasks: ids, names, state, order and dates', async () => {
    const { agent, idOf } = await userWith('one', 'two', 'three', 'four');
    await postForm(agent, `/tasks/${idOf('one')}/edit`, { name: 'one', due: '2026-12-24' });
    await postForm(agent, `/tasks/${idOf('four')}/move`, { before: String(idOf('one')) });
    for (const name of ['one', 'three']) await postForm(agent, `/tasks/${idOf(name)}/complete`);
    const before = await exported(agent);
    const idsBefore = taskIds(await home(agent), 'completed');

    await postForm(agent, '/tasks/clear-completed');
    const cleared = await home(agent);
    expect(taskNames(cleared, 'completed')).toEqual([]);
    expect(cleared).toContain(escapeHtml(taskMessages.clearedCompleted(2)));
    await postForm(agent, '/', { task: 'added since' });

    expect((await postForm(agent, undoAction(cleared)!)).status).toBe(303);
    const restored = await home(agent);
    expect(restored).toContain(escapeHtml(taskMessages.restoredAll(2)));
    expect(taskIds(restored, 'completed')).toEqual(idsBefore);
    expect(taskNames(restored, 'completed')).toEqual(['one', 'three']);
    expect(taskNames(restored, 'open')).toEqual(['four', 'two', 'added since']);
    const after = await exported(agent);
    expect(after.filter((task) => task.name !== 'added since')).toEqual(before);
    // Restored tasks are found by search again.
    expect(taskNames(await home(agent, '/?q=THREE'), 'completed')).toEqual(['three']);
  });

  it('answers 404 for another user’s undo, an expired one, or one replaced by a newer action', async () => {
    const alice = await userWith('a1', 'a2');
    const bob = await userWith('b1');
    await postForm(alice.agent, `/tasks/${alice.idOf('a1')}/complete`);
    await postForm(alice.agent, '/tasks/clear-completed');
    const undo = undoAction(await home(alice.agent))!;
    expect((await postForm(bob.agent, undo)).status).toBe(404);
    expect(taskNames(await home(bob.agent), 'completed')).toEqual([]);

    // A newer bulk action is the one Undo offers.
    await postForm(alice.agent, '/tasks/complete-all');
    const newer = undoAction(await home(alice.agent))!;
    expect(newer).not.toBe(undo);
    expect((await postForm(alice.agent, undo)).status).toBe(404);
    expect(taskNames(await home(alice.agent), 'completed')).toEqual(['a2']);

    await t.db('task_undo').update({ expires_at: Date.now() - 1 });
    const expired = await postForm(alice.agent, newer);
    expect(expired.status).toBe(404);
    expect(expired.text).toContain(escapeHtml(taskMessages.bulkUndoExpired));
    expect(taskNames(await home(alice.agent), 'completed')).toEqual(['a2']);
    expect((await postForm(alice.agent, '/tasks/undo/abc')).status).toBe(404);
  });

  it('answers the script with the Undo it offers, and needs the CSRF token', async () => {
    const { agent, idOf } = await userWith('a');
    await postForm(agent, `/tasks/${idOf('a')}/complete`);
    const _csrf = await csrfTokenFor(agent, '/');
    const res = await agent
      .post('/tasks/clear-completed')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf });
    expect(res.status).toBe(200);
    expect(res.body.message).toEqual({
      kind: 'success',
      text: taskMessages.clearedCompleted(1),
      undoBulkId: expect.any(Number),
    });
    expect(res.body.html).toContain(`action="/tasks/undo/${res.body.message.undoBulkId}"`);
    const forged = await agent.post(`/tasks/undo/${res.body.message.undoBulkId}`).type('form').send({});
    expect(forged.status).toBe(403);
    expect(taskNames(await home(agent), 'completed')).toEqual([]);
  });
});
