import { describe, expect, it } from 'vitest';
import { taskMessages } from '../../src/messages/tasks';
import { useTestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  postForm,
  registerUser,
  taskIds,
  taskNames,
  type Agent,
  registerUserWithTasks,
} from '../helpers/users';

const t = useTestApp();

const userWithTasks = (...names: string[]) => registerUserWithTasks(t.app, ...names);

const home = async (agent: Agent, path = '/') => (await agent.get(path)).text;

describe('reopening a task', () => {
  it('moves a completed task back to the open list', async () => {
    const { agent, ids } = await userWithTasks('Walk the dog');
    await postForm(agent, `/tasks/${ids[0]}/complete`);
    const res = await postForm(agent, `/tasks/${ids[0]}/reopen`);
    expect(res.status).toBe(303);
    const page = await home(agent);
    expect(taskNames(page, 'open')).toEqual(['Walk the dog']);
    expect(page).toContain(taskMessages.taskReopened('Walk the dog'));
  });
});

describe('editing a task', () => {
  it('renames it, trimmed', async () => {
    const { agent, ids } = await userWithTasks('Bye milk');
    const res = await postForm(agent, `/tasks/${ids[0]}/edit`, { name: '  Buy milk ' });
    expect(res.status).toBe(303);
    expect(taskNames(await home(agent), 'open')).toEqual(['Buy milk']);
  });

  it('refuses a blank name with a 422 and a message, and keeps the task', async () => {
    const { agent, ids } = await userWithTasks('Keep me');
    const res = await postForm(agent, `/tasks/${ids[0]}/edit`, { name: '   ' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(taskMessages.taskBlank);
    // The row's form is open again, with the message next to the field.
    expect(res.text).toContain(`action="/tasks/${ids[0]}/edit"`);
    expect(res.text).toMatch(/<input id="edit-\d+" name="name"[^>]*aria-invalid="true"/);
    expect(taskNames(await home(agent), 'open')).toEqual(['Keep me']);
  });

  it('opens a task’s form without JavaScript through its Edit button, on the same page, its field focused', async () => {
    const { agent, ids } = await userWithTasks('Buy milk', 'Walk the dog');
    await postForm(agent, `/tasks/${ids[1]}/complete`);
    const list = await home(agent, '/?filter=completed');
    // Edit is a button of the page's GET form, which carries the page's own query: it asks for
    // /?filter=completed&edit=ID, with no #fragment (browsers skip autofocus when there is one).
    expect(list).toMatch(
      new RegExp(
        `<button form="page-get" name="edit" value="${ids[1]}" class="[^"]*" data-action="edit" aria-label="Edit: Walk the dog">Edit</button>`,
      ),
    );
    expect(list).toMatch(
      /<form id="page-get" method="get" action="\/" hidden>\s*<input type="hidden" name="filter" value="completed">\s*<\/form>/,
    );
    const page = await home(agent, `/?filter=completed&edit=${ids[1]}`);
    const form =
      new RegExp(`<form method="post" action="/tasks/${ids[1]}/edit"[\\s\\S]*?</form>`).exec(page)?.[0] ?? '';
    expect(form).toContain('New name for &ldquo;Walk the dog&rdquo;');
    expect(form).toMatch(/<input id="edit-\d+" name="name" type="text" value="Walk the dog"[^>]*autofocus>/);
    // Saving returns to the page the form was opened from; Cancel goes back there too.
    expect(form).toContain('<input type="hidden" name="return_to" value="/?filter=completed">');
    expect(form).toContain(`<button type="submit" form="page-get" formaction="/#task-${ids[1]}"`);
    const saved = await postForm(agent, `/tasks/${ids[1]}/edit`, {
      name: 'Walk the cat',
      return_to: '/?filter=completed',
    });
    expect(saved.headers.location).toBe(`/?filter=completed#task-${ids[1]}`);
    const after = await home(agent, '/?filter=completed');
    expect(taskNames(after, 'completed')).toEqual(['Walk the cat']);
    expect(after).not.toContain('New name for');
  });

  it('opens no form for ?edit= naming another user’s task or no task', async () => {
    const alice = await userWithTasks('Alice’s');
    const bob = await registerUserWithTasks(t.app, 'Bob’s');
    for (const edit of [String(alice.ids[0]), 'abc', '0']) {
      const res = await bob.agent.get(`/?edit=${edit}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('New name for');
      expect(taskNames(res.text, 'open')).toEqual(['Bob’s']);
    }
  });

  it('answers 404 for another user’s task, whatever the name', async () => {
    const alice = await userWithTasks('Alice’s');
    const bob = await registerUser(t.app);
    expect((await postForm(bob.agent, `/tasks/${alice.ids[0]}/edit`, { name: 'pwned' })).status).toBe(404);
    expect((await postForm(bob.agent, `/tasks/${alice.ids[0]}/edit`, { name: '' })).status).toBe(404);
    expect(taskNames(await home(alice.agent), 'open')).toEqual(['Alice’s']);
  });
});

describe('deleting a task and undoing it', () => {
  it('deletes for good, offers Undo, and Undo restores it in the same place and state', async () => {
    const { agent, ids } = await userWithTasks('First', 'Second', 'Third');
    await postForm(agent, `/tasks/${ids[1]}/complete`);
    await postForm(agent, `/tasks/${ids[1]}/reopen`);
    await postForm(agent, `/tasks/${ids[1]}/complete`);
    const res = await postForm(agent, `/tasks/${ids[1]}/delete`);
    expect(res.status).toBe(303);
    const afterDelete = await home(agent);
    expect(taskNames(afterDelete, 'completed')).toEqual([]);
    expect(afterDelete).toContain(taskMessages.taskDeleted('Second'));
    expect(afterDelete).toContain(`action="/tasks/${ids[1]}/undo-delete"`);

    const undo = await postForm(agent, `/tasks/${ids[1]}/undo-delete`);
    expect(undo.status).toBe(303);
    const restored = await home(agent);
    expect(taskNames(restored, 'completed')).toEqual(['Second']);
    expect(taskIds(restored, 'completed')).toEqual([ids[1]]);
    expect(restored).toContain(taskMessages.taskRestored('Second'));
    // Undo works once.
    expect((await postForm(agent, `/tasks/${ids[1]}/undo-delete`)).status).toBe(404);
  });

  it('another user cannot delete or restore my task', async () => {
    const alice = await userWithTasks('Alice’s');
    const bob = await registerUser(t.app);
    expect((await postForm(bob.agent, `/tasks/${alice.ids[0]}/delete`)).status).toBe(404);
    await postForm(alice.agent, `/tasks/${alice.ids[0]}/delete`);
    expect((await postForm(bob.agent, `/tasks/${alice.ids[0]}/undo-delete`)).status).toBe(404);
    expect(await t.db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 });
  });
});

describe('complete all and clear completed', () => {
  it('completes every open task of this user only', async () => {
    const alice = await userWithTasks('a1', 'a2');
    const bob = await userWithTasks('b1');
    expect((await postForm(alice.agent, '/tasks/complete-all')).status).toBe(303);
    expect(taskNames(await home(alice.agent), 'completed')).toEqual(['a1', 'a2']);
    expect(await home(alice.agent)).toContain('Nothing left to do');
    expect(taskNames(await home(bob.agent), 'open')).toEqual(['b1']);
  });

  it('clears only this user’s completed tasks', async () => {
    const alice = await userWithTasks('a1', 'a2');
    const bob = await userWithTasks('b1');
    await postForm(bob.agent, '/tasks/complete-all');
    await postForm(alice.agent, `/tasks/${alice.ids[0]}/complete`);
    expect((await postForm(alice.agent, '/tasks/clear-completed')).status).toBe(303);
    const page = await home(alice.agent);
    expect(taskNames(page, 'completed')).toEqual([]);
    expect(taskNames(page, 'open')).toEqual(['a2']);
    expect(page).toContain(taskMessages.clearedCompleted(1));
    expect(taskNames(await home(bob.agent), 'completed')).toEqual(['b1']);
  });
});

describe('the counter and filters', () => {
  it('words the counter for 0, 1 and many', async () => {
    const { agent, ids } = await userWithTasks('a', 'b', 'c');
    expect(await home(agent)).toContain('3 tasks left');
    await postForm(agent, `/tasks/${ids[0]}/complete`);
    await postForm(agent, `/tasks/${ids[1]}/complete`);
    expect(await home(agent)).toContain('1 task left');
    await postForm(agent, `/tasks/${ids[2]}/complete`);
    expect(await home(agent)).toContain('Nothing left to do');
  });

  it('filters live in the URL and actions return to the same filter', async () => {
    const { agent, ids } = await userWithTasks('open one', 'done one');
    await postForm(agent, `/tasks/${ids[1]}/complete`);
    const open = await home(agent, '/?filter=open');
    expect(taskNames(open, 'open')).toEqual(['open one']);
    expect(open).not.toContain('id="completed-tasks"');
    expect(open).toMatch(/href="\/\?filter=open" class="filters__link" aria-current="page"/);
    const completed = await home(agent, '/?filter=completed');
    expect(taskNames(completed, 'completed')).toEqual(['done one']);
    expect(completed).not.toContain('id="open-tasks"');

    const _csrf = await csrfTokenFor(agent, '/?filter=open');
    const res = await agent
      .post(`/tasks/${ids[0]}/complete`)
      .type('form')
      .send({ _csrf, return_to: '/?filter=open' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?filter=open');
  });

  it('never redirects anywhere but our own home page', async () => {
    const { agent, ids } = await userWithTasks('x');
    for (const return_to of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const _csrf = await csrfTokenFor(agent, '/');
      const res = await agent.post(`/tasks/${ids[0]}/reopen`).type('form').send({ _csrf, return_to });
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/#task-${ids[0]}`);
    }
  });

  it('carries only what it understood of the address into its forms', async () => {
    const { agent } = await userWithTasks('x');
    const page = await home(agent, '/?filter=open&junk=%3Cscript%3E&open_after=abc');
    expect(page).toContain('name="return_to" value="/?filter=open"');
    expect(page).not.toContain('junk');
  });

  it('pages long lists 50 at a time with links that work without JavaScript', async () => {
    const { agent } = await registerUser(t.app);
    const ownerId = (await t.db('users').first('id')).id;
    await t
      .db('tasks')
      .insert(Array.from({ length: 120 }, (_, i) => ({ name: `task ${i + 1}`, owner_id: ownerId })));
    const first = await home(agent);
    expect(taskNames(first, 'open')).toHaveLength(50);
    expect(first).toContain('120 tasks left');
    const next = /href="(\/\?open_after=\d+)"/.exec(first)?.[1];
    expect(next).toBeDefined();
    const second = await home(agent, next!);
    expect(taskNames(second, 'open')[0]).toBe('task 51');
  });
});

describe('answers for the enhancing script', () => {
  it('answers the same routes with JSON carrying the message and the rendered list', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    const added = await agent
      .post('/')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, task: 'Via script' });
    expect(added.status).toBe(201);
    expect(added.body.message.text).toBe(taskMessages.taskAdded('Via script'));
    expect(added.body.counts).toEqual({ open: 1, completed: 0, today: 0, upcoming: 0 });
    expect(taskNames(added.body.html, 'open')).toEqual(['Via script']);

    const [id] = taskIds(added.body.html, 'open');
    const done = await agent
      .post(`/tasks/${id}/complete`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf });
    expect(done.status).toBe(200);
    expect(taskNames(done.body.html, 'completed')).toEqual(['Via script']);
  });

  it('answers invalid input with a 422 JSON message', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    const res = await agent
      .post('/')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf, task: ' ' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe(taskMessages.taskBlank);
  });

  it('answers 401 JSON when the session is gone', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/');
    await agent.post('/logout').type('form').send({ _csrf });
    const fresh = await csrfTokenFor(agent, '/login');
    const res = await agent
      .post('/')
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: fresh, task: 'x' });
    expect(res.status).toBe(401);
  });
});
