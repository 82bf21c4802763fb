import { describe, expect, it } from 'vitest';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  escapeHtml,
  postForm,
  registerUser,
  registerUserWithTasks,
  taskIds,
  taskNames,
  type Agent,
} from '../helpers/users';

const t = useTestApp();

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;
const openNames = async (agent: Agent, path = '/') => taskNames(await home(agent, path), 'open');

async function userWith(...names: string[]) {
  const user = await registerUserWithTasks(t.app, ...names);
  const idOf = (name: string) => user.ids[names.indexOf(name)]!;
  const move = (name: string, fields: Record<string, string>, returnTo = '/') =>
    postForm(user.agent, `/tasks/${idOf(name)}/move`, { ...fields, return_to: returnTo });
  return { ...user, idOf, move };
}

describe('your own order', () => {
  it('lists tasks in the order they were added, a new one at the end', async () => {
    const { agent } = await userWith('one', 'two', 'three');
    await postForm(agent, '/', { task: 'four' });
    expect(await openNames(agent)).toEqual(['one', 'two', 'three', 'four']);
  });

  it('moves a task up or down with a button, back to the same page and the task’s place', async () => {
    const { agent, move, idOf } = await userWith(
      'Buy milk',
      'Walk the dog',
      'Write report',
      'Call mum',
      'Pay rent',
    );
    const res = await move('Write report', { direction: 'up' }, '/?filter=open');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/?filter=open#task-${idOf('Write report')}`);
    const page = await home(agent, '/?filter=open');
    expect(taskNames(page, 'open')).toEqual([
      'Buy milk',
      'Write report',
      'Walk the dog',
      'Call mum',
      'Pay rent',
    ]);
    expect(page).toContain(escapeHtml(taskMessages.taskMoved('Write report', 2, 5)));
    expect(taskMessages.taskMoved('Write report', 2, 5)).toBe('Moved “Write report” to position 2 of 5.');

    await move('Buy milk', { direction: 'down' });
    expect(await openNames(agent)).toEqual([
      'Write report',
      'Buy milk',
      'Walk the dog',
      'Call mum',
      'Pay rent',
    ]);
  });

  it('says so and changes nothing at either end', async () => {
    const { agent, move } = await userWith('first', 'last');
    await move('first', { direction: 'up' });
    expect(await home(agent)).toContain(escapeHtml(taskMessages.taskNotMoved('first', 1, 2)));
    await move('last', { direction: 'down' });
    expect(await home(agent)).toContain(escapeHtml(taskMessages.taskNotMoved('last', 2, 2)));
    expect(await openNames(agent)).toEqual(['first', 'last']);
  });

  it('moves a task before another, or to the end with an empty before', async () => {
    const { agent, move, idOf } = await userWith('a', 'b', 'c', 'd');
    await move('d', { before: String(idOf('b')) });
    expect(await openNames(agent)).toEqual(['a', 'd', 'b', 'c']);
    await move('a', { before: '' });
    expect(await openNames(agent)).toEqual(['d', 'b', 'c', 'a']);
    await move('c', { before: String(idOf('d')) });
    expect(await openNames(agent)).toEqual(['c', 'd', 'b', 'a']);
    await move('b', { before: String(idOf('b')) }); // before itself: stays
    expect(await openNames(agent)).toEqual(['c', 'd', 'b', 'a']);
  });

  it('steps over completed tasks, and a reopened task comes back to its place', async () => {
    const { agent, move, idOf } = await userWith('a', 'b', 'c', 'd');
    await postForm(agent, `/tasks/${idOf('b')}/complete`);
    await postForm(agent, `/tasks/${idOf('c')}/complete`);
    await move('d', { direction: 'up' });
    expect(await openNames(agent)).toEqual(['d', 'a']);
    // c was between b and d: it comes back after a (b is still completed, d has moved away).
    await postForm(agent, `/tasks/${idOf('c')}/reopen`);
    expect(await openNames(agent)).toEqual(['d', 'a', 'c']);
  });

  it('keeps the order through many moves into the same place (positions are renumbered when needed)', async () => {
    const { agent, move, idOf } = await userWith('a', 'b', 'c');
    // Each move halves the gap between a and the task after it; a double runs out after ~50.
    for (let i = 0; i < 70; i++) await move(i % 2 ? 'b' : 'c', { before: String(idOf(i % 2 ? 'c' : 'b')) });
    expect(await openNames(agent)).toEqual(['a', 'b', 'c']);
    await move('c', { direction: 'up' });
    expect(await openNames(agent)).toEqual(['a', 'c', 'b']);
  });

  it('answers 404 for another user’s task, or before another user’s task, and moves nothing', async () => {
    const alice = await userWith('a1', 'a2');
    const bob = await userWith('b1', 'b2');
    expect((await postForm(bob.agent, `/tasks/${alice.idOf('a2')}/move`, { direction: 'up' })).status).toBe(
      404,
    );
    expect((await postForm(bob.agent, `/tasks/${alice.idOf('a2')}/move`, { before: '' })).status).toBe(404);
    for (const before of [String(alice.idOf('a1')), 'abc', '0', '99999999999']) {
      expect((await bob.move('b2', { before })).status, before).toBe(404);
    }
    expect((await postForm(bob.agent, '/tasks/abc/move', { direction: 'up' })).status).toBe(404);
    expect(await openNames(alice.agent)).toEqual(['a1', 'a2']);
    expect(await openNames(bob.agent)).toEqual(['b1', 'b2']);
  });

  it('refuses a move that says neither where nor which way (422), moving nothing', async () => {
    const { agent, move, idOf } = await userWith('a', 'b');
    const bad: Record<string, string>[] = [
      {},
      { direction: 'sideways' },
      { direction: 'sideways', before: '' },
    ];
    for (const fields of bad) {
      const res = await move('b', fields);
      expect(res.status, JSON.stringify(fields)).toBe(422);
      expect(res.text).toContain(escapeHtml(taskMessages.moveDirection));
    }
    const _csrf = await csrfTokenFor(agent, '/');
    const json = await agent
      .post(`/tasks/${idOf('b')}/move`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, direction: 'left' });
    expect(json.status).toBe(422);
    expect(json.body).toEqual({
      error: { status: 422, message: taskMessages.moveDirection, field: 'direction' },
    });
    expect(await openNames(agent)).toEqual(['a', 'b']);
  });

  it('needs the form’s CSRF token', async () => {
    const { agent, idOf } = await userWith('a', 'b');
    const res = await agent
      .post(`/tasks/${idOf('b')}/move`)
      .type('form')
      .send({ direction: 'up' });
    expect(res.status).toBe(403);
    expect(await openNames(agent)).toEqual(['a', 'b']);
  });

  it('answers the script with the message and the list in the new order', async () => {
    const { agent, idOf } = await userWith('a', 'b', 'c');
    const _csrf = await csrfTokenFor(agent, '/');
    const res = await agent
      .post(`/tasks/${idOf('c')}/move`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, before: String(idOf('a')) });
    expect(res.status).toBe(200);
    expect(res.body.message.text).toBe(taskMessages.taskMoved('c', 1, 3));
    expect(taskNames(res.body.html, 'open')).toEqual(['c', 'a', 'b']);
  });

  it('offers Move buttons on open tasks in your order, not on completed ones, dates or searches', async () => {
    const { agent, idOf } = await userWith('a', 'b');
    await postForm(agent, `/tasks/${idOf('b')}/complete`);
    const page = await home(agent);
    expect(page).toContain(`<button form="move-up" formaction="/tasks/${idOf('a')}/move"`);
    expect(page).toContain(`aria-labelledby="move-up-label n${idOf('a')}"`);
    expect(page).toContain('<span id="move-up-label" hidden>Move up:</span>');
    expect(page).toMatch(
      /<form id="move-up" method="post" action="\/" hidden>[^]*?name="direction" value="up">/,
    );
    expect(page).not.toContain(`formaction="/tasks/${idOf('b')}/move"`);
    for (const path of ['/?filter=today', '/?filter=upcoming', '/?q=a']) {
      expect(await home(agent, path), path).not.toContain('/move"');
    }
    expect(await home(agent, '/?filter=open')).toContain(`formaction="/tasks/${idOf('a')}/move"`);
  });
});

describe('the order outside the app', () => {
  it('survives an export and an import into another account', async () => {
    const { agent, move, idOf } = await userWith('one', 'two', 'three', 'four');
    await move('four', { before: String(idOf('one')) });
    await move('two', { before: '' });
    await postForm(agent, `/tasks/${idOf('three')}/complete`);
    const order = ['four', 'one', 'three', 'two'];
    const json = JSON.parse((await agent.get('/account/export.json')).text) as {
      name: string;
      position: number;
    }[];
    expect(json.map((task) => task.name)).toEqual(order);

    for (const format of ['json', 'csv'] as const) {
      const file = (await agent.get(`/account/export.${format}`)).text;
      // Shuffled rows still come back in the user's order: the position column says it.
      const shuffled =
        format === 'json'
          ? JSON.stringify((JSON.parse(file) as unknown[]).reverse())
          : (() => {
              const [header, ...rows] = file
                .replace(/^\uFEFF/, '')
                .trimEnd()
                .split('\r\n');
              return [header, ...rows.reverse()].join('\r\n');
            })();
      const other = await registerUser(t.app);
      await postForm(other.agent, '/', { task: 'already there' });
      const _csrf = await csrfTokenFor(other.agent, '/account');
      const res = await other.agent
        .post('/account/import')
        .field('_csrf', _csrf)
        .attach('file', Buffer.from(shuffled), `tasks.${format}`);
      expect(res.status, format).toBe(303);
      const page = await home(other.agent);
      expect(taskNames(page, 'open'), format).toEqual(['already there', 'four', 'one', 'two']);
      expect(taskNames(page, 'completed'), format).toEqual(['three']);
    }
  });

  it('imports a file without positions in the file’s order, after the tasks already there', async () => {
    const { agent } = await userWith('mine');
    const _csrf = await csrfTokenFor(agent, '/account');
    await agent
      .post('/account/import')
      .field('_csrf', _csrf)
      .attach('file', Buffer.from('name\nz\ny\nx\n'), 'tasks.csv');
    expect(await openNames(agent)).toEqual(['mine', 'z', 'y', 'x']);
    const bad = await agent
      .post('/account/import')
      .field('_csrf', await csrfTokenFor(agent, '/account'))
      .attach('file', Buffer.from('name,position\nok,1\nbad,first\n'), 'tasks.csv');
    expect(bad.status).toBe(303);
    expect(await home(agent, '/account')).toContain('Row 3: position is not a number');
    expect(taskIds(await home(agent), 'open')).toHaveLength(5);
  });
});
