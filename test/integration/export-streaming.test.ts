import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import session from 'express-session';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { EXPORT_PAGE_ROWS, IMPORT_MAX_ROWS } from '../../src/limits';
import { HttpClient } from '../helpers/http-client';
import { createMigratedDb } from '../helpers/test-app';
import { uniqueEmail } from '../helpers/users';

// The exports against a real listening server: the file arrives in pages, byte for byte what a
// whole-list export gave, and a client that leaves stops the export's queries.

const PASSWORD = 'correct horse battery';

async function startApp() {
  const config = loadConfig({ NODE_ENV: 'test', BCRYPT_ROUNDS: '4', LOG_LEVEL: 'info' });
  const db = await createMigratedDb();
  const logLines: { event?: string }[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(JSON.parse(chunk.toString()) as { event?: string });
      done();
    },
  });
  const app = createApp({
    config,
    db,
    logger: pino({ level: 'info' }, logStream),
    sessionStore: new session.MemoryStore(),
    sessionSecret: 'test-secret-that-is-long-enough-to-be-real',
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await db.destroy();
  };
  return { db, baseUrl, logLines, close };
}

let running: Awaited<ReturnType<typeof startApp>> | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

interface FileTask {
  name: string;
  completed: boolean;
  created_at: string;
  completed_at: string | null;
  due: string | null;
  position: number;
}

/** `count` tasks as the export writes them: every third completed, one second apart. */
function tasksNamed(prefix: string, count: number): FileTask[] {
  return Array.from({ length: count }, (_, i) => {
    const completed = i % 3 === 0;
    return {
      name: `${prefix} ${i + 1}`,
      completed,
      created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      completed_at: completed ? new Date(Date.UTC(2026, 5, 1, 0, 0, i)).toISOString() : null,
      due: i % 5 === 0 ? '2026-07-01' : null,
      // Imported into an empty account in this order, each task's place is its position.
      position: i + 1,
    };
  });
}

const csvLine = (task: FileTask) =>
  `${task.name},${task.completed},${task.created_at},${task.completed_at ?? ''},${task.due ?? ''},${task.position}\r\n`;
const CSV_HEADER = 'name,completed,created_at,completed_at,due,position\r\n';

/** Registers through the form and imports the tasks through the import form, in files of the largest size allowed. */
async function userWithTasks(baseUrl: string, tasks: FileTask[]): Promise<HttpClient> {
  const browser = new HttpClient(baseUrl);
  await browser.register(uniqueEmail('export'), PASSWORD);
  for (let i = 0; i < tasks.length; i += IMPORT_MAX_ROWS) {
    const form = new FormData();
    form.set('_csrf', await browser.csrf('/account'));
    const file =
      CSV_HEADER +
      tasks
        .slice(i, i + IMPORT_MAX_ROWS)
        .map(csvLine)
        .join('');
    form.set('file', new Blob([file]), 'tasks.csv');
    const res = await browser.request('/account/import', { method: 'POST', body: form });
    await res.arrayBuffer();
    expect(res.status).toBe(303);
  }
  return browser;
}

describe('exports written a page at a time', () => {
  it('sends every task across page boundaries, exactly as a whole-list export did, and only the owner’s', async () => {
    running = await startApp();
    const onePage = tasksNamed('alpha', EXPORT_PAGE_ROWS); // ends exactly on a page boundary
    const pagesAndABit = tasksNamed('beta', EXPORT_PAGE_ROWS * 2 + 7);
    const alpha = await userWithTasks(running.baseUrl, onePage);
    const beta = await userWithTasks(running.baseUrl, pagesAndABit);

    for (const [browser, tasks] of [
      [alpha, onePage],
      [beta, pagesAndABit],
    ] as const) {
      const json = await browser.request('/account/export.json');
      expect(json.status).toBe(200);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await json.text()).toBe(JSON.stringify(tasks, null, 2) + '\n');

      const csv = await browser.request('/account/export.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(
        /^attachment; filename=get-it-done-tasks-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const bytes = new Uint8Array(await csv.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark
      expect(new TextDecoder().decode(bytes.slice(3))).toBe(CSV_HEADER + tasks.map(csvLine).join(''));
    }
  });

  it('gives each of several exports running at once exactly its own file', async () => {
    running = await startApp();
    const lists = ['delta', 'epsilon', 'zeta'].map((prefix, i) =>
      tasksNamed(prefix, EXPORT_PAGE_ROWS * (i + 1) + 3),
    );
    const browsers = await Promise.all(lists.map((tasks) => userWithTasks(running!.baseUrl, tasks)));
    const files = await Promise.all(
      browsers.map(async (browser) => (await browser.request('/account/export.json')).text()),
    );
    expect(files).toEqual(lists.map((tasks) => JSON.stringify(tasks, null, 2) + '\n'));
  });

  it('stops reading tasks when the client goes away, and serves the next export whole', async () => {
    running = await startApp();
    const { db, baseUrl, logLines } = running;
    const tasks = tasksNamed('gamma', 10_000);
    const browser = await userWithTasks(baseUrl, tasks);
    const pages = Math.ceil(tasks.length / EXPORT_PAGE_ROWS);
    let pageQueries = 0;
    db.on('query', (query: { sql: string }) => {
      // SQLite quotes names with `…` and binds ?; PostgreSQL quotes with "…" and binds $1, $2 …
      // Pages in the user's order (planning's change: the export keeps it), keyset by (position, id).
      if (/order by [`"]position[`"] asc, [`"]id[`"] asc limit (\?|\$\d+)/.test(query.sql)) pageQueries++;
    });

    // Takes the first chunk, then hangs up.
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${baseUrl}/account/export.json`, {
        headers: { cookie: browser.cookieHeader },
      });
      request.on('response', (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', reject);
    });
    while (!logLines.some((line) => line.event === 'export.aborted')) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(pageQueries).toBeGreaterThan(0);
    expect(pageQueries).toBeLessThan(pages);

    pageQueries = 0;
    const whole = await browser.request('/account/export.json');
    expect((JSON.parse(await whole.text()) as FileTask[]).length).toBe(tasks.length);
    expect(pageQueries).toBe(pages + 1); // the last full page is followed by an empty one
  });
});
