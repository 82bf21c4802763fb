import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths';
import { HttpClient } from '../helpers/http-client';
import { startServer, tempDataDir, type ServerProcess } from '../helpers/server-process';
import { onPostgres, serverDatabase } from '../helpers/test-database';

const running: ServerProcess[] = [];
const schemas: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL');
  for (const drop of schemas.splice(0)) await drop();
});

/** The database a server of this test uses: its DATA_DIR's SQLite file, or a PostgreSQL schema of its own. */
async function databaseEnv(): Promise<Record<string, string>> {
  const database = await serverDatabase();
  schemas.push(database.drop);
  return database.env;
}

describe('the real server entry', () => {
  it('migrates a fresh database, keeps sessions across a restart, and exits 0 on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const env = await databaseEnv();
    const first = await startServer({ dataDir, env });
    running.push(first);
    // SQLite: both files in DATA_DIR. PostgreSQL: data and sessions are in the database, no file.
    expect(fs.existsSync(path.join(dataDir, 'get-it-done.sqlite3'))).toBe(!onPostgres);
    expect(fs.existsSync(path.join(dataDir, 'sessions.sqlite3'))).toBe(!onPostgres);

    const client = new HttpClient(first.baseUrl);
    await client.register('server@example.com', 'a fine password');
    const _csrf = await client.csrf('/');
    expect((await client.postForm('/', { _csrf, task: 'Survive a restart' })).status).toBe(303);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('shutdown complete');

    const second = await startServer({ dataDir, env });
    running.push(second);
    const again = new HttpClient(second.baseUrl);
    again['cookies'] = client['cookies']; // the same browser, after the restart
    const home = await again.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Survive a restart');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('`npm start` hands SIGTERM to the server, which shuts down cleanly (no orphaned process)', async () => {
    const child = spawn('npm', ['start'], {
      cwd: projectRoot,
      // BASE_URL: '' drops the '/' Vitest sets (Vite's base path), which the app would refuse.
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: '0',
        DATA_DIR: tempDataDir(),
        BASE_URL: '',
        DATABASE_URL: '',
        ...(await databaseEnv()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect
      .poll(() => /"port":(\d+)/.exec(output)?.[1], { timeout: 90_000, interval: 200 })
      .toBeDefined();
    const port = /"port":(\d+)/.exec(output)![1];
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    child.kill('SIGTERM'); // to npm, as a process manager would
    await exited;
    await expect.poll(() => output, { timeout: 15_000 }).toContain('shutdown complete');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 120_000);

  it('refuses to start in production without SESSION_SECRET, with a clear message', async () => {
    await expect(startServer({ dataDir: tempDataDir(), env: { NODE_ENV: 'production' } })).rejects.toThrow(
      /SESSION_SECRET is required/,
    );
  }, 30_000);

  it('never writes passwords or session cookies to its log', async () => {
    const server = await startServer({
      dataDir: tempDataDir(),
      env: { LOG_LEVEL: 'debug', ...(await databaseEnv()) },
    });
    running.push(server);
    const client = new HttpClient(server.baseUrl);
    await client.register('logs@example.com', 'Canary-Password-7f3e');
    await client.get('/');
    const cookie = /gid\.sid=([^;]+)/.exec(client.cookieHeader)?.[1];
    expect(cookie).toBeDefined();
    const sessionId = decodeURIComponent(cookie!).slice(2).split('.')[0]!; // s:<id>.<signature>
    expect(sessionId.length).toBeGreaterThan(20);
    // The requests are logged (so the checks below look at a real log), without their headers.
    await expect.poll(() => server.output()).toMatch(/"method":"GET","url":"\/","status":200/);
    expect(server.output()).not.toContain('"headers"');
    expect(server.output()).not.toContain('Canary-Password-7f3e');
    expect(server.output()).not.toContain(cookie!);
    expect(server.output()).not.toContain(sessionId);
  }, 30_000);
});
