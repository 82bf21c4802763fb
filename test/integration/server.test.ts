import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths';
import { HttpClient } from '../helpers/http-client';
import { requestOn } from '../helpers/keep-alive';
import { startSmtpServer } from '../helpers/smtp-server';
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

  it('a SIGTERM right after a reset request waits for the email to be handed over, then exits 0', async () => {
    const smtp = await startSmtpServer('accept', { acceptDelayMs: 1500 });
    try {
      const server = await startServer({
        dataDir: tempDataDir(),
        env: {
          ...(await databaseEnv()),
          SMTP_URL: smtp.url,
          MAIL_FROM: 'Get It Done! <no-reply@example.com>',
        },
      });
      running.push(server);
      const client = new HttpClient(server.baseUrl);
      await client.register('leaving@example.com', 'a fine password');
      await (await client.postForm('/logout', { _csrf: await client.csrf('/') })).text();
      const forgot = await client.postForm('/password/forgot', {
        _csrf: await client.csrf('/password/forgot'),
        email: 'leaving@example.com',
      });
      expect(forgot.status).toBe(303);
      await smtp.connected(); // the send has begun; the relay takes 1.5 s to accept it
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(smtp.inbox.map((mail) => mail.subject)).toHaveLength(1);
      expect(server.output()).toContain('shutdown complete');
      expect(server.output()).not.toContain('background work failed');
    } finally {
      await smtp.close();
    }
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

  it('answers a health check on a kept-alive connection during shutdown with 503 and Connection: close, then exits 0', async () => {
    const server = await startServer({ dataDir: tempDataDir() });
    running.push(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await requestOn(agent, `${server.baseUrl}/healthz`);
    expect(before.status).toBe(200);
    expect(before.headers.connection).toBe('keep-alive');

    server.child.kill('SIGTERM');
    await expect.poll(() => server.output(), { timeout: 10_000, interval: 5 }).toContain('shutting down');
    // A load balancer's next poll, on the connection it kept open.
    const during = await requestOn(agent, `${server.baseUrl}/healthz`);
    expect(during.reusedSocket).toBe(true);
    expect(during.status).toBe(503);
    expect(JSON.parse(during.body)).toEqual({ status: 'shutting down' });
    expect(during.headers.connection).toBe('close');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutdown complete');
    expect(server.output()).not.toContain('ERR_HTTP_HEADERS_SENT');
    expect(server.output()).not.toMatch(/^\s+at /m); // no stack trace of any kind
    agent.destroy();
  }, 30_000);

  it('a port already in use stops it with one line naming PORT and exit code 1 (also under `npm run dev`)', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const line = `Get It Done! cannot start: port ${port} on 127.0.0.1 is already in use. Set PORT to a free port (or stop the other server).`;
      const started = startServer({ dataDir: tempDataDir(), port });
      const failure = await started.then(
        () => '',
        (err: Error) => err.message,
      );
      const [reason, output] = failure.split(' before listening:\n');
      expect(reason).toBe('server exited with 1');
      expect(output!.trim().split('\n')).toEqual([line]); // no EADDRINUSE stack, nothing else

      const dev = spawn('npm', ['run', 'dev'], {
        cwd: projectRoot,
        // BASE_URL: '' drops the '/' Vitest sets (Vite's base path), which the app would refuse.
        env: {
          ...process.env,
          BASE_URL: '',
          DATABASE_URL: '',
          NODE_ENV: 'test',
          PORT: String(port),
          DATA_DIR: tempDataDir(),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let devOutput = '';
      dev.stdout.on('data', (chunk: Buffer) => (devOutput += chunk.toString()));
      dev.stderr.on('data', (chunk: Buffer) => (devOutput += chunk.toString()));
      const devExit = await new Promise<number | null>((resolve) => dev.on('exit', (code) => resolve(code)));
      expect(devExit).toBe(1);
      // npm adds its own "> get-it-done@… dev" and "npm error …" lines around ours.
      expect(devOutput.split('\n').filter((l) => l.includes('Get It Done!'))).toEqual([line]);
      expect(devOutput).not.toContain('EADDRINUSE');
      expect(devOutput).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  }, 60_000);

  it('names the instance in an X-Instance header on every response when INSTANCE_NAME is set, and only then', async () => {
    const named = await startServer({ dataDir: tempDataDir(), env: { INSTANCE_NAME: 'web-a' } });
    running.push(named);
    for (const path of ['/healthz', '/login', '/nope', '/favicon.svg'])
      expect((await fetch(named.baseUrl + path)).headers.get('x-instance'), path).toBe('web-a');
    const anonymous = await startServer({ dataDir: tempDataDir() });
    running.push(anonymous);
    expect((await fetch(`${anonymous.baseUrl}/login`)).headers.has('x-instance')).toBe(false);
  }, 30_000);

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
