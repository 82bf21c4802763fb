import { describe, expect, it } from 'vitest';
import { importMessages } from '../../src/messages/import';
import { useTestApp } from '../helpers/test-app';
import { csrfTokenFor, escapeHtml, postForm, registerUserWithTasks, type Agent } from '../helpers/users';

const t = useTestApp();

async function userWith(...names: string[]) {
  const user = await registerUserWithTasks(t.app, ...names);
  const idOf = (name: string) => user.ids[names.indexOf(name)]!;
  return { ...user, idOf };
}

async function upload(agent: Agent, content: string, filename: string, contentType?: string) {
  const _csrf = await csrfTokenFor(agent, '/account');
  return agent
    .post('/account/import')
    .field('_csrf', _csrf)
    .attach('file', Buffer.from(content), contentType ? { filename, contentType } : filename);
}

describe('an import file is read as the format it says it is', () => {
  it('a broken .json gets a JSON error, not the CSV one', async () => {
    const { agent } = await userWith();
    for (const content of ['[{"name": "a"},', 'name\nnot json at all\n']) {
      const res = await upload(agent, content, 'tasks.json');
      expect(res.status).toBe(422);
      expect(res.text).toContain('The JSON file could not be read');
      expect(res.text).not.toContain(escapeHtml(importMessages.importCsvHeader));
    }
  });

  it('the browser’s type decides when the name does not, and a .csv is read as CSV', async () => {
    const { agent } = await userWith();
    const typed = await upload(agent, '{"tasks": [', 'export', 'application/json');
    expect(typed.text).toContain('The JSON file could not be read');
    const csv = await upload(agent, '[not, a header]\n', 'tasks.csv');
    expect(csv.status).toBe(422);
    expect(csv.text).toContain(escapeHtml(importMessages.importCsvHeader));
    // Without either, the content decides, as before.
    expect((await upload(agent, '[{"name": "from json"}]', 'tasks', 'application/octet-stream')).status).toBe(
      303,
    );
  });

  it('lays the report out as a message with the refused rows listed under it', async () => {
    const { agent } = await userWith();
    await upload(agent, 'name,completed\nok,false\n,false\nbad,maybe\n', 'tasks.csv');
    const page = (await agent.get('/account')).text;
    expect(page).toMatch(/<div class="flash flash--report flash--info" role="status" id="import-report">/);
    expect(page).toMatch(/<ul class="import-refusals">\s*<li>Row 3: [^<]*<\/li>\s*<li>Row 4: [^<]*<\/li>/);
  });
});

describe('without JavaScript an action lands at the task’s place in the list', () => {
  it('on the task itself when it stays on the page', async () => {
    const { agent, idOf } = await userWith('a', 'b', 'c');
    const done = await postForm(agent, `/tasks/${idOf('b')}/complete`);
    expect(done.headers.location).toBe(`/#task-${idOf('b')}`); // now under Completed
    const reopened = await postForm(agent, `/tasks/${idOf('b')}/reopen`, { return_to: '/?filter=open' });
    expect(reopened.headers.location).toBe(`/?filter=open#task-${idOf('b')}`);
    const edited = await postForm(agent, `/tasks/${idOf('c')}/edit`, {
      name: 'c2',
      return_to: '/?filter=open',
    });
    expect(edited.headers.location).toBe(`/?filter=open#task-${idOf('c')}`);
  });

  it('on the task that takes its place when it leaves the list, else the one before', async () => {
    const { agent, idOf } = await userWith('a', 'b', 'c');
    const completed = await postForm(agent, `/tasks/${idOf('b')}/complete`, { return_to: '/?filter=open' });
    expect(completed.headers.location).toBe(`/?filter=open#task-${idOf('c')}`);
    const last = await postForm(agent, `/tasks/${idOf('c')}/complete`, { return_to: '/?filter=open' });
    expect(last.headers.location).toBe(`/?filter=open#task-${idOf('a')}`);
    const reopened = await postForm(agent, `/tasks/${idOf('b')}/reopen`, { return_to: '/?filter=completed' });
    expect(reopened.headers.location).toBe(`/?filter=completed#task-${idOf('c')}`);
    const deleted = await postForm(agent, `/tasks/${idOf('a')}/delete`, { return_to: '/?filter=open' });
    expect(deleted.headers.location).toBe(`/?filter=open#task-${idOf('b')}`);
    const restored = await postForm(agent, `/tasks/${idOf('a')}/undo-delete`, { return_to: '/?filter=open' });
    expect(restored.headers.location).toBe(`/?filter=open#task-${idOf('a')}`);
  });

  it('at the top when the list is left empty, or when the action was on the whole list', async () => {
    const { agent, idOf } = await userWith('only');
    const res = await postForm(agent, `/tasks/${idOf('only')}/complete`, { return_to: '/?filter=open' });
    expect(res.headers.location).toBe('/?filter=open');
    expect((await postForm(agent, '/tasks/clear-completed')).headers.location).toBe('/');
  });
});
