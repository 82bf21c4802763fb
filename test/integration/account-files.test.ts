import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { importMessages } from '../../src/messages/import';
import { taskMessages } from '../../src/messages/tasks';
import { IMPORT_MAX_BYTES, IMPORTS_PER_WINDOW, TASK_NAME_MAX } from '../../src/limits';
import { useTestApp } from '../helpers/test-app';
import {
  csrfTokenFor,
  postForm,
  registerUser,
  taskIds,
  taskNames,
  type Agent,
  escapeHtml,
} from '../helpers/users';

const t = useTestApp();

const escaped = escapeHtml;

const TODAY = () => new Date().toISOString().slice(0, 10);

async function exportAs(agent: Agent, format: 'csv' | 'json') {
  return agent
    .get(`/account/export.${format}`)
    .buffer(true)
    .parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(null, body));
    });
}

async function upload(agent: Agent, content: string | Buffer, filename = 'tasks.csv') {
  const _csrf = await csrfTokenFor(agent, '/account');
  return agent
    .post('/account/import')
    .field('_csrf', _csrf)
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), filename);
}

async function addTasks(agent: Agent, names: string[]) {
  for (const task of names) {
    const res = await postForm(agent, '/', { task });
    expect(res.status, task).toBe(303);
  }
}

async function taskCount(): Promise<number> {
  const row = await t.db('tasks').count({ n: '*' }).first<{ n: number }>();
  return Number(row.n);
}

const TRICKY_NAMES = [
  'plain task',
  'milk, eggs, bread',
  'say "hello"',
  '=HYPERLINK("http://evil.example","click")',
  '+1 for the team',
  '-10 push-ups',
  '@channel standup',
  "'already quoted",
  "''two quotes",
  'ünïcödé ✓ 😀',
  '<b>not bold</b> & more',
  'x'.repeat(TASK_NAME_MAX),
];

describe('exporting tasks', () => {
  it('asks a visitor who is not logged in to log in', async () => {
    for (const format of ['csv', 'json']) {
      const res = await request(t.app).get(`/account/export.${format}`);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/login');
    }
  });

  it('exports a user with no tasks as an empty list and a header-only CSV, as downloads', async () => {
    const { agent } = await registerUser(t.app);
    const json = await exportAs(agent, 'json');
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe(
      `attachment; filename=get-it-done-tasks-${TODAY()}.json`,
    );
    expect(JSON.parse(json.body as string)).toEqual([]);

    const csv = await exportAs(agent, 'csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename=get-it-done-tasks-${TODAY()}.csv`);
    expect(csv.body).toBe('\uFEFFname,completed,created_at,completed_at,due,position\r\n');
  });

  it("exports all of the user's tasks, open and completed, and nobody else's", async () => {
    const { agent } = await registerUser(t.app);
    const other = await registerUser(t.app);
    await addTasks(agent, ['first', 'second']);
    await addTasks(other.agent, ['not mine']);
    const [firstId] = taskIds((await agent.get('/')).text, 'open');
    await postForm(agent, `/tasks/${firstId}/complete`);

    const tasks = JSON.parse((await exportAs(agent, 'json')).body as string) as Record<string, unknown>[];
    expect(tasks.map((task) => task.name)).toEqual(['first', 'second']);
    expect(Object.keys(tasks[0]!).sort()).toEqual([
      'completed',
      'completed_at',
      'created_at',
      'due',
      'name',
      'position',
    ]);
    expect(tasks[0]).toMatchObject({ name: 'first', completed: true });
    expect(tasks[0]!.completed_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(tasks[1]).toMatchObject({ name: 'second', completed: false, completed_at: null });
    expect(tasks[1]!.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(JSON.stringify(tasks)).not.toContain('not mine');
  });

  it('quotes CSV cells (RFC 4180) and neutralises cells a spreadsheet would run as formulas', async () => {
    const { agent } = await registerUser(t.app);
    await addTasks(agent, TRICKY_NAMES);
    const csv = (await exportAs(agent, 'csv')).body as string;
    const names = csv
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.replace(/,(true|false),[^,]*,[^,]*,[^,]*,[^,]*$/, ''));
    expect(names).toEqual([
      'plain task',
      '"milk, eggs, bread"',
      '"say ""hello"""',
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
      "'+1 for the team",
      "'-10 push-ups",
      "'@channel standup",
      "''already quoted",
      "'''two quotes",
      'ünïcödé ✓ 😀',
      '<b>not bold</b> & more',
      'x'.repeat(TASK_NAME_MAX),
    ]);
  });
});

describe('importing tasks', () => {
  it('round-trips a CSV export exactly: export, import elsewhere, export again gives the same tasks', async () => {
    const alice = await registerUser(t.app);
    const bob = await registerUser(t.app);
    await addTasks(alice.agent, TRICKY_NAMES);
    const ids = taskIds((await alice.agent.get('/')).text, 'open');
    await postForm(alice.agent, `/tasks/${ids[1]}/complete`);
    await postForm(alice.agent, `/tasks/${ids[3]}/complete`);
    const csv = (await exportAs(alice.agent, 'csv')).body as string;

    const res = await upload(bob.agent, csv, 'get-it-done-tasks.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/account');
    const page = await bob.agent.get('/account');
    expect(page.text).toContain(`Imported ${TRICKY_NAMES.length} tasks.`);
    expect(page.text).not.toContain('refused');

    expect((await exportAs(bob.agent, 'csv')).body).toBe(csv);
    expect((await exportAs(bob.agent, 'json')).body).toBe((await exportAs(alice.agent, 'json')).body);
    const home = await bob.agent.get('/');
    expect(taskNames(home.text, 'completed')).toEqual([TRICKY_NAMES[1]!, TRICKY_NAMES[3]!].map(escaped));
  });

  it('round-trips a JSON export exactly', async () => {
    const alice = await registerUser(t.app);
    const bob = await registerUser(t.app);
    await addTasks(alice.agent, TRICKY_NAMES.slice(0, 5));
    const [firstId] = taskIds((await alice.agent.get('/')).text, 'open');
    await postForm(alice.agent, `/tasks/${firstId}/complete`);
    const json = (await exportAs(alice.agent, 'json')).body as string;
    const res = await upload(bob.agent, json, 'tasks.json');
    expect(res.status).toBe(303);
    expect((await exportAs(bob.agent, 'json')).body).toBe(json);
  });

  it('adds the good rows and reports each refused row with its number and reason', async () => {
    const { agent } = await registerUser(t.app);
    const csv = [
      'name,completed,created_at,completed_at',
      'good one,false,,',
      ',false,,',
      `${'y'.repeat(TASK_NAME_MAX + 1)},false,,`,
      'bad flag,maybe,,',
      'bad date,false,yesterday,',
      'good two,true,2026-01-02T03:04:05.000Z,2026-01-03T00:00:00.000Z',
    ].join('\n');
    const res = await upload(agent, csv);
    expect(res.status).toBe(303);
    const page = await agent.get('/account');
    expect(page.text).toContain('Imported 2 tasks.');
    expect(page.text).toContain('4 rows were refused and not imported:');
    expect(page.text).toContain(`Row 3: ${escaped(taskMessages.taskBlank)}`);
    expect(page.text).toContain(`Row 4: ${escaped(taskMessages.taskTooLong)}`);
    expect(page.text).toContain(`Row 5: ${escaped(importMessages.rowCompletedInvalid)}`);
    expect(page.text).toContain(`Row 6: ${escaped(importMessages.rowDateInvalid('created_at'))}`);
    const tasks = JSON.parse((await exportAs(agent, 'json')).body as string) as Record<string, unknown>[];
    expect(tasks.map((task) => task.name)).toEqual(['good one', 'good two']);
    expect(tasks[1]).toEqual({
      name: 'good two',
      completed: true,
      created_at: '2026-01-02T03:04:05.000Z',
      completed_at: '2026-01-03T00:00:00.000Z',
      due: null,
      position: expect.any(Number),
    });
    // The report is shown once.
    expect((await agent.get('/account')).text).not.toContain('Imported 2 tasks.');
  });

  it('lists the first 50 refused rows and counts the rest', async () => {
    const { agent } = await registerUser(t.app);
    const csv = 'name\nkept\n' + '" "\n'.repeat(60); // 60 names that are only a space
    const res = await upload(agent, csv);
    expect(res.status).toBe(303);
    const page = await agent.get('/account');
    expect(page.text).toContain('Imported 1 task.');
    expect(page.text).toContain('60 rows were refused and not imported:');
    expect(page.text).toContain('Row 52:');
    expect(page.text).not.toContain('Row 53:');
    expect(page.text).toContain(escaped(importMessages.importMoreRefusals(10)));
  });

  it('numbers refused JSON tasks from 1', async () => {
    const { agent } = await registerUser(t.app);
    const res = await upload(
      agent,
      JSON.stringify([{ name: 'ok' }, { name: '   ' }, 'just a string']),
      'x.json',
    );
    expect(res.status).toBe(303);
    const page = await agent.get('/account');
    expect(page.text).toContain('Imported 1 task.');
    expect(page.text).toContain(`Row 2: ${escaped(taskMessages.taskBlank)}`);
    expect(page.text).toContain(`Row 3: ${escaped(importMessages.rowNotAnObject)}`);
  });

  it('adds nothing from a file that is not valid as a whole', async () => {
    const { agent } = await registerUser(t.app);
    await addTasks(agent, ['existing']);
    const cases: [string | Buffer, string, string][] = [
      [
        'name,completed\n"never closed,false\nother,false\n',
        'a.csv',
        importMessages.importBadCsv('a quoted field is never closed'),
      ],
      ['title,done\nsomething,false\n', 'b.csv', importMessages.importCsvHeader],
      ['[{"name": "a"}, {"name": "b"', 'c.json', 'could not be read'],
      ['{"name": "not a list"}', 'd.json', importMessages.importJsonShape],
      ['[]', 'e.json', importMessages.importEmpty],
      ['name\n', 'f.csv', importMessages.importEmpty],
      [Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x41]), 'g.csv', importMessages.importNotUtf8],
    ];
    for (const [content, filename, message] of cases) {
      const res = await upload(agent, content, filename);
      expect(res.status, filename).toBe(422);
      expect(res.text).toContain(escaped(message));
    }
    expect(await taskCount()).toBe(1);
  });

  it('asks for a file when none was chosen', async () => {
    const { agent } = await registerUser(t.app);
    const _csrf = await csrfTokenFor(agent, '/account');
    const res = await agent.post('/account/import').field('_csrf', _csrf);
    expect(res.status).toBe(422);
    expect(res.text).toContain(escaped(importMessages.importNoFile));
  });

  it('refuses a file over the size cap with a clear 413 and adds nothing', async () => {
    const { agent } = await registerUser(t.app);
    const line = 'a task that is long enough to fill the file quickly,false,,\n';
    const big =
      'name,completed,created_at,completed_at\n' +
      line.repeat(Math.ceil(IMPORT_MAX_BYTES / line.length) + 10);
    const res = await upload(agent, big);
    expect(res.status).toBe(413);
    expect(res.text).toContain(escaped(importMessages.importTooLarge));
    expect(await taskCount()).toBe(0);
  });

  it('refuses an upload without a valid CSRF token and adds nothing', async () => {
    const { agent } = await registerUser(t.app);
    const csv = 'name\nsneaky\n';
    const missing = await agent.post('/account/import').attach('file', Buffer.from(csv), 'x.csv');
    expect(missing.status).toBe(403);
    const wrong = await agent
      .post('/account/import')
      .field('_csrf', 'not-the-token')
      .attach('file', Buffer.from(csv), 'x.csv');
    expect(wrong.status).toBe(403);
    // A token from another session does not work either.
    const other = request.agent(t.app);
    const othersToken = await csrfTokenFor(other, '/login');
    const foreign = await agent
      .post('/account/import')
      .field('_csrf', othersToken)
      .attach('file', Buffer.from(csv), 'x.csv');
    expect(foreign.status).toBe(403);
    expect(await taskCount()).toBe(0);
  });

  it('asks a visitor who is not logged in to log in', async () => {
    const visitor = request.agent(t.app);
    const _csrf = await csrfTokenFor(visitor, '/login');
    const res = await visitor
      .post('/account/import')
      .field('_csrf', _csrf)
      .attach('file', Buffer.from('name\nx\n'), 'x.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(await taskCount()).toBe(0);
  });

  it(`refuses the import after ${IMPORTS_PER_WINDOW} within an hour with a 429 saying when to try again, and adds nothing`, async () => {
    const { agent } = await registerUser(t.app);
    for (let i = 1; i <= IMPORTS_PER_WINDOW; i++) {
      expect((await upload(agent, `name\nimport ${i}\n`)).status, `import ${i}`).toBe(303);
    }
    const refused = await upload(agent, 'name\none too many\n');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(59 * 60);
    expect(retryAfter).toBeLessThanOrEqual(60 * 60);
    expect(refused.text).toContain(escaped(importMessages.tooManyImports('X', 1).split(';')[0]!));
    expect(refused.text).toMatch(/try again after \d{2}:\d{2} UTC \(in about 60 minutes\)/);
    expect(await taskCount()).toBe(IMPORTS_PER_WINDOW);

    // The limit is per user: someone else imports as usual.
    const other = await registerUser(t.app);
    expect((await upload(other.agent, 'name\nmine\n')).status).toBe(303);
  });

  it('answers a broken multipart body with a 400 page, not a crash', async () => {
    const { agent } = await registerUser(t.app);
    const res = await agent
      .post('/account/import')
      .set('Content-Type', 'multipart/form-data; boundary=xyz')
      .send('--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nname\nhalf');
    expect(res.status).toBe(400);
    expect(res.text).toContain(escaped(importMessages.importBadUpload));
  });
});
