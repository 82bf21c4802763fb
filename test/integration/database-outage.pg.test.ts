import knex from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { errorPageMessages } from '../../src/messages/errors';
import { HttpClient } from '../helpers/http-client';
import { startServer, tempDataDir, type ServerProcess } from '../helpers/server-process';
import { TcpProxy } from '../helpers/tcp-proxy';
import { useTestApp } from '../helpers/test-app';
import { serverDatabase, TEST_DATABASE_URL } from '../helpers/test-database';
import { escapeHtml, GOOD_PASSWORD, postForm, registerUser, taskNames, uniqueEmail } from '../helpers/users';

// PostgreSQL only (*.pg.test.ts): what the app does when its database server goes away, goes
// silent, kills its connections or is stuck behind a lock. The server runs as a real process
// behind a TCP proxy on 127.0.0.1 that the test cuts: PostgreSQL itself keeps running for
// everyone else on the machine. (SQLite's trouble, a locked or read-only file, is in the
// reliability suite.)

interface Outage {
  server: ServerProcess;
  proxy: TcpProxy;
  client: HttpClient;
  csrf: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server whose DATABASE_URL goes through a proxy, with a logged-in user who has one task. */
async function serverBehindProxy(): Promise<Outage> {
  const database = await serverDatabase();
  cleanups.push(database.drop);
  const direct = new URL(database.env.DATABASE_URL!);
  const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
  cleanups.push(() => proxy.close());
  const viaProxy = new URL(direct);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const server = await startServer({
    dataDir: tempDataDir('gid-outage-'),
    env: { DATABASE_URL: viaProxy.toString(), DATABASE_STATEMENT_TIMEOUT_MS: '500' },
  });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exited;
  });
  const client = new HttpClient(server.baseUrl);
  await client.register(uniqueEmail('outage'), GOOD_PASSWORD);
  const csrf = await client.csrf('/');
  const added = await client.postForm('/', { _csrf: csrf, task: 'Acknowledged before the outage' });
  await added.text();
  expect(added.status).toBe(303);
  return { server, proxy, client, csrf };
}

/** How long a request took, for the test's log line (measured, never asserted: machines are noisy). */
async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: Math.round(performance.now() - started) };
}

/** What a user sees while the database is away: a 503 page or JSON that says so, promptly. */
async function expectUnavailable({ server, client, csrf }: Outage, label: string): Promise<void> {
  const health = await timed(() => fetch(`${server.baseUrl}/healthz`));
  expect(health.value.status, `${label}: /healthz`).toBe(503);
  expect(await health.value.json()).toEqual({ status: 'unavailable' });

  const page = await timed(() => client.get('/'));
  expect(page.value.status, `${label}: GET /`).toBe(503);
  expect(page.value.res.headers.get('retry-after')).toBe('5');
  expect(page.value.text).toContain(escapeHtml(errorPageMessages[503]!.text));

  const post = await timed(() => client.postForm('/', { _csrf: csrf, task: `Refused while ${label}` }));
  await post.value.text();
  expect(post.value.status, `${label}: POST /`).toBe(503);

  // The login page itself reads no table; the new session behind its form cannot be stored
  // (the form is refused as expired if sent before the database is back), but the page is no 5xx.
  const login = await timed(() => new HttpClient(server.baseUrl).get('/login'));
  expect([200, 503], `${label}: GET /login`).toContain(login.value.status);

  console.info(
    `[${label}] /healthz 503 in ${health.ms} ms, GET / 503 in ${page.ms} ms, POST / 503 in ${post.ms} ms, ` +
      `GET /login ${login.value.status} in ${login.ms} ms`,
  );
  expect(server.child.exitCode, 'the server is still running').toBeNull();
}

/** Back to normal without a restart: healthy, the same session, what was acknowledged, and new writes. */
async function expectRecovered({ server, client, csrf }: Outage, label: string): Promise<void> {
  const back = performance.now();
  await expect
    .poll(async () => (await fetch(`${server.baseUrl}/healthz`)).status, { timeout: 15_000, interval: 100 })
    .toBe(200);
  console.info(
    `[${label}] healthy again ${Math.round(performance.now() - back)} ms after the database came back`,
  );
  const home = await client.get('/');
  expect(home.status).toBe(200);
  expect(taskNames(home.text, 'open')).toEqual(['Acknowledged before the outage']);
  const added = await client.postForm('/', { _csrf: csrf, task: 'Added after the outage' });
  await added.text();
  expect(added.status).toBe(303);
  expect(taskNames((await client.get('/')).text, 'open')).toEqual([
    'Acknowledged before the outage',
    'Added after the outage',
  ]);
  expect(server.child.exitCode, 'the server never stopped').toBeNull();
  expect(server.output()).not.toMatch(/uncaught|unhandled/i);
  // The log stayed JSON lines throughout (knex's connection warnings included): nothing raw on stderr.
  const notJson = server
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('{'));
  expect(notJson).toEqual([]);
}

describe('PostgreSQL goes away and comes back', () => {
  it('stopped (connections refused, open ones reset): 503s, no crash, and it recovers by itself', async () => {
    const outage = await serverBehindProxy();
    await outage.proxy.cut();
    await expectUnavailable(outage, 'stopped');
    await expectUnavailable(outage, 'still stopped'); // the pool keeps trying, and keeps answering
    await outage.proxy.restore();
    await expectRecovered(outage, 'stopped');
  }, 60_000);

  it('gone silent (nothing answers, nothing is refused): 503s after the timeouts, never a hang', async () => {
    const outage = await serverBehindProxy();
    outage.proxy.freeze();
    await expectUnavailable(outage, 'silent');
    await outage.proxy.restore();
    await expectRecovered(outage, 'silent');
  }, 60_000);

  it('kills the app’s connections (as a restart or an administrator does): the next requests are served', async () => {
    const outage = await serverBehindProxy();
    const ports = outage.proxy.upstreamPorts();
    expect(ports.length).toBeGreaterThan(0);
    const admin = knex({ client: 'pg', connection: TEST_DATABASE_URL, pool: { min: 0, max: 1 } });
    try {
      await admin.raw('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY(?)', [
        ports,
      ]);
      await expect
        .poll(async () => {
          const { rows } = (await admin.raw(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE client_port = ANY(?)',
            [ports],
          )) as { rows: { n: number }[] };
          return rows[0]!.n;
        })
        .toBe(0);
    } finally {
      await admin.destroy();
    }
    // The proxy has passed the end on to the app, and the app gets a moment to read it: a request
    // that raced the kill (in the same turn of the app's event loop as the end) would still be
    // given a dead pooled connection and answer 503, as CI saw once under load.
    await expect.poll(() => outage.proxy.upstreamPorts().filter((port) => ports.includes(port))).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The pool dropped the connections it was told were closed and opens new ones.
    for (let i = 0; i < 3; i++) expect((await outage.client.get('/')).status).toBe(200);
    await expectRecovered(outage, 'killed');
  }, 60_000);
});

describe('the server is killed', () => {
  it('SIGKILL during writes, 3 times: every add answered 303 is stored, and sessions outlive the crashes', async () => {
    const database = await serverDatabase();
    cleanups.push(database.drop);
    const dataDir = tempDataDir('gid-crash-'); // the same development session secret after each restart
    const start = async () => {
      const server = await startServer({ dataDir, env: database.env });
      cleanups.push(async () => {
        server.child.kill('SIGKILL');
        await server.exited;
      });
      return server;
    };
    let server = await start();
    let user = new HttpClient(server.baseUrl);
    await user.register(uniqueEmail('crash'), GOOD_PASSWORD); // a session issued before every crash
    const csrf = await user.csrf('/');
    const acked = new Set<string>();
    const reader = knex({
      client: 'pg',
      connection: TEST_DATABASE_URL,
      searchPath: [database.schema!],
      pool: { min: 0, max: 1 },
    });
    cleanups.push(() => reader.destroy());
    for (let round = 1; round <= 3; round++) {
      if (round > 1) {
        server = await start();
        const again = new HttpClient(server.baseUrl);
        again['cookies'] = user['cookies']; // the same browser, after the restart
        user = again;
        expect((await user.get('/')).status, 'a session from before the crash still works').toBe(200);
      }
      let killed = false;
      const writers = Array.from({ length: 4 }, async (_, w) => {
        for (let seq = 0; !killed; seq++) {
          const name = `crash-r${round}-w${w}-${seq}`;
          try {
            const reply = await user.postForm('/', { _csrf: csrf, task: name });
            await reply.arrayBuffer();
            if (reply.status === 303) acked.add(name);
            else expect(reply.status, name).toBe(303);
          } catch {
            expect(killed, `${name}: no socket error before the kill`).toBe(true);
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 900));
      killed = true;
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      await Promise.all(writers);
      const stored = new Set(
        (await reader('tasks').select<{ name: string }[]>('name')).map((row) => row.name),
      );
      expect(
        [...acked].filter((name) => !stored.has(name)),
        `answered adds missing after crash ${round}`,
      ).toEqual([]);
      console.info(`[crash ${round}] ${acked.size} adds answered 303 so far, ${stored.size} tasks stored`);
    }
    expect(acked.size).toBeGreaterThan(0);
  }, 90_000);
});

describe('a stuck query', () => {
  const t = useTestApp({}, { database: { statementTimeoutMs: 300 } });

  it('becomes a 503 at the statement timeout, and the page works again once it is unstuck', async () => {
    const { agent } = await registerUser(t.app);
    expect((await postForm(agent, '/', { task: 'Before the lock' })).status).toBe(303);
    const { rows } = (await t.db.raw('SELECT current_schema() AS schema')) as { rows: { schema: string }[] };
    const locker = knex({
      client: 'pg',
      connection: TEST_DATABASE_URL,
      searchPath: [rows[0]!.schema],
      pool: { min: 0, max: 1 },
    });
    const trx = await locker.transaction();
    try {
      // Another client holds the tasks table (a migration, a long report): every query waits.
      await trx.raw('LOCK TABLE tasks IN ACCESS EXCLUSIVE MODE');
      const page = await agent.get('/');
      expect(page.status).toBe(503);
      expect(page.text).toContain(escapeHtml(errorPageMessages[503]!.text));
      const post = await postForm(agent, '/tasks/complete-all', {}, '/account');
      expect(post.status).toBe(503);
    } finally {
      await trx.rollback();
      await locker.destroy();
    }
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(taskNames(home.text, 'open')).toEqual(['Before the lock']);
  });
});
