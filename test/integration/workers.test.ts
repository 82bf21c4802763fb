import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../helpers/http-client';
import { requestOn, type KeptAliveReply } from '../helpers/keep-alive';
import { isAlive, startServer, tempDataDir, workerPids, type ServerProcess } from '../helpers/server-process';
import { inspectDb } from '../reliability/support/app-process';
import { Browser, socketErrorCode, type Reply } from '../reliability/support/http';
import { BUSY, errorsBesidesBusy, isBusy } from '../reliability/support/results';

// WEB_CONCURRENCY=2: the real entry as a cluster primary with two workers, on 127.0.0.1 and a
// free port. Loads are bounded: 20 clients for a few seconds.

const PASSWORD = 'two workers, one password';
const WORKERS = { WEB_CONCURRENCY: '2', INSTANCE_NAME: 'web', REGISTER_MAX_PER_IP: '1000' };

const running: ServerProcess[] = [];
afterEach(() => {
  for (const server of running.splice(0)) {
    for (const pid of workerPids(server.output()).values()) killQuietly(pid);
    server.child.kill('SIGKILL');
  }
});

async function startWorkers(): Promise<ServerProcess & { dataDir: string }> {
  const dataDir = tempDataDir('gid-workers-');
  const server = await startServer({ dataDir, env: WORKERS });
  running.push(server);
  return { ...server, dataDir };
}

interface LogLine {
  pid: number;
  url?: string;
}
const logLines = (output: string): LogLine[] =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

function killQuietly(pid: number): void {
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

/** A request on a brand-new connection, closed after the answer: whichever worker accepts it answers. */
const onNewConnection = (url: string, headers: Record<string, string> = {}) =>
  requestOn(new http.Agent({ keepAlive: false }), url, headers);

/** One user, and `count` clients in that session, each with its own single kept-alive connection. */
async function loggedInClients(baseUrl: string, count: number): Promise<Browser[]> {
  const user = new Browser(baseUrl, new http.Agent({ keepAlive: true, maxSockets: 1 }));
  await user.register('workers@example.com', PASSWORD);
  return Array.from({ length: count }, () => {
    const client = new Browser(baseUrl, new http.Agent({ keepAlive: true, maxSockets: 1 }));
    for (const [name, value] of user.cookies) client.cookies.set(name, value);
    client.csrfToken = user.csrfToken;
    return client;
  });
}

interface Failure {
  client: number;
  code: string;
  at: number;
  /** The worker that answered this client's previous request: its connection was to that worker. */
  connectedTo: string | undefined;
}

/**
 * Each client adds a task, lists, adds, … until `keepGoing()` is false (or, with
 * `untilFailure`, until its first request without an HTTP answer). An add counts as
 * acknowledged only when it was answered 303 to /. Answers are counted as 'ok', BUSY (a write
 * refused while the other worker held the write lock: see results.ts) or by what they were.
 */
function runLoad(clients: Browser[], keepGoing: () => boolean, { untilFailure = false } = {}) {
  const acknowledged = new Set<string>();
  const statuses = new Map<string, number>();
  const failures: Failure[] = [];
  const lastInstance: (string | undefined)[] = clients.map(() => undefined);
  const count = (label: string) => statuses.set(label, (statuses.get(label) ?? 0) + 1);
  const done = Promise.all(
    clients.map(async (client, c) => {
      for (let seq = 0; keepGoing(); seq++) {
        const name = `c${c}-${seq}`;
        let reply: Reply;
        try {
          reply = seq % 2 ? await client.get('/') : await client.post('/', { task: name });
        } catch (err) {
          failures.push({
            client: c,
            code: socketErrorCode(err),
            at: Date.now(),
            connectedTo: lastInstance[c],
          });
          if (untilFailure) return;
          continue;
        }
        lastInstance[c] = reply.headers['x-instance'] as string | undefined;
        const ok = seq % 2 ? reply.status === 200 : reply.status === 303 && reply.location === '/';
        count(ok ? 'ok' : isBusy(reply) ? BUSY : `${seq % 2 ? 'list' : 'add'}:${reply.status}`);
        if (ok && seq % 2 === 0) acknowledged.add(name);
      }
    }),
  );
  return { done, acknowledged, statuses, failures, lastInstance };
}

const unexpectedAnswers = (statuses: Map<string, number>) =>
  [...statuses].filter(([label]) => label !== 'ok' && label !== BUSY);

describe('WEB_CONCURRENCY=2', () => {
  it('serves from two worker processes that share the data and the sessions', async () => {
    const server = await startWorkers();
    // Each process writes its log lines on its own (pino writes asynchronously): the workers'
    // "ready" lines may follow the primary's "listening" line.
    await expect.poll(() => workerPids(server.output()).size).toBe(2);
    const pids = workerPids(server.output());
    expect([...pids.values()]).not.toContain(server.child.pid); // the primary serves nothing itself

    const user = new HttpClient(server.baseUrl);
    await user.register('both@example.com', PASSWORD);
    const _csrf = await user.csrf('/');
    expect((await user.postForm('/', { _csrf, task: 'Seen by every worker' })).status).toBe(303);

    // Each new connection goes to whichever worker accepts it first: ask until both have answered.
    const instances = new Set<string>();
    let sent = 0;
    while (instances.size < 2 && sent < 50) {
      const page = await onNewConnection(`${server.baseUrl}/?n=${sent++}`, { cookie: user.cookieHeader });
      expect(page.status).toBe(200);
      expect(page.body).toContain('Seen by every worker');
      instances.add(String(page.headers['x-instance']));
    }
    expect([...instances].sort()).toEqual(['web/1', 'web/2']);
    // The request log says which process answered: both workers' pids, for these very requests.
    await expect
      .poll(() => logLines(server.output()).filter((line) => line.url?.startsWith('/?n=')).length)
      .toBe(sent);
    const answeredBy = new Set(
      logLines(server.output())
        .filter((line) => line.url?.startsWith('/?n='))
        .map((line) => line.pid),
    );
    expect([...answeredBy].sort()).toEqual([...pids.values()].sort());

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const pid of pids.values()) expect(isAlive(pid), `worker ${pid} is gone`).toBe(false);
  }, 60_000);

  it('answers a health check on a kept-alive connection during shutdown with 503 and Connection: close, then exits 0', async () => {
    const server = await startWorkers();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = await requestOn(agent, `${server.baseUrl}/healthz`);
    expect(before.status).toBe(200);

    server.child.kill('SIGTERM');
    // Both workers have the signal, so whichever holds this connection is draining.
    await expect
      .poll(() => server.output().match(/finishing in-flight requests/g)?.length, {
        timeout: 10_000,
        interval: 5,
      })
      .toBe(2);
    // A load balancer polls on: 503 every time, on the same connection, until the workers have
    // let go of the listening socket and the answer closes the connection.
    const during: KeptAliveReply[] = [];
    do during.push(await requestOn(agent, `${server.baseUrl}/healthz`));
    while (during.at(-1)!.headers.connection !== 'close' && during.length < 200);
    expect(during.map((reply) => `${reply.status} ${reply.reusedSocket}`)).toEqual(
      during.map(() => '503 true'),
    );
    expect(during.at(-1)!.headers.connection).toBe('close');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shutdown complete');
    expect(server.output()).not.toContain('ERR_HTTP_HEADERS_SENT');
    expect(server.output()).not.toMatch(/^\s+at /m);
    expect(server.output()).not.toMatch(/"level":(50|60)/);
    agent.destroy();
  }, 60_000);

  it('replaces a worker killed under load; only requests on its connections fail, every answered add is kept', async () => {
    const server = await startWorkers();
    const clients = await loggedInClients(server.baseUrl, 20);
    let stop = false;
    const load = runLoad(clients, () => !stop);
    await sleep(1_500);

    const killed = workerPids(server.output()).get(1)!;
    const onKilledWorker = load.lastInstance.filter((instance) => instance === 'web/1').length;
    process.kill(killed, 'SIGKILL');
    await sleep(2_000);
    // The replacement is worker 3, and new connections reach it.
    await expect.poll(() => workerPids(server.output()).has(3), { timeout: 30_000 }).toBe(true);
    await expect
      .poll(async () => (await onNewConnection(`${server.baseUrl}/healthz`)).headers['x-instance'], {
        timeout: 30_000,
      })
      .toBe('web/3');
    await sleep(500); // the load meets the replacement too
    stop = true;
    await load.done;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    expect(server.output()).toMatch(/worker 1 stopped unexpectedly \(SIGKILL\); starting a replacement/);
    expect(unexpectedAnswers(load.statuses), 'every answer was the normal one (no 5xx)').toEqual([]);
    expect(load.statuses.get('ok')).toBeGreaterThan(clients.length * 2);
    // A failure is a request the killed worker was serving, or one sent on its connection as it
    // died: at most one per client that was connected to it, none for the others.
    for (const failure of load.failures) expect(failure.connectedTo, JSON.stringify(failure)).toBe('web/1');
    const failedClients = load.failures.map((failure) => failure.client);
    expect(
      new Set(failedClients).size,
      `one failure per client at most: ${JSON.stringify(load.failures)}`,
    ).toBe(failedClients.length);
    expect(failedClients.length).toBeLessThanOrEqual(onKilledWorker);

    const { integrity, names } = inspectDb(server.dataDir);
    expect(integrity).toBe('ok');
    expect([...load.acknowledged].filter((name) => !names.has(name))).toEqual([]);
  }, 90_000);

  it('retries a worker that cannot start with growing delays, while the other serves, until it can', async () => {
    const server = await startWorkers();
    await expect.poll(() => workerPids(server.output()).size).toBe(2);
    // A broken file that only a starting worker reads: the session secret is now a folder.
    const secretFile = path.join(server.dataDir, 'session-secret');
    const secret = fs.readFileSync(secretFile);
    fs.rmSync(secretFile);
    fs.mkdirSync(secretFile);
    process.kill(workerPids(server.output()).get(1)!, 'SIGKILL');
    const delays = () =>
      [...server.output().matchAll(/starting a replacement(?: in (\d+) ms)?"/g)].map((m) =>
        Number(m[1] ?? 0),
      );
    await expect.poll(delays, { timeout: 30_000 }).toEqual([0, 1_000, 2_000]);
    expect((await onNewConnection(`${server.baseUrl}/healthz`)).status, 'worker 2 still serves').toBe(200);

    fs.rmdirSync(secretFile);
    fs.writeFileSync(secretFile, secret, { mode: 0o600 });
    await expect.poll(() => workerPids(server.output()).has(5), { timeout: 30_000 }).toBe(true);
    expect(delays()).toEqual([0, 1_000, 2_000]); // the third replacement started, and stayed
    await expect
      .poll(async () => (await onNewConnection(`${server.baseUrl}/healthz`)).headers['x-instance'], {
        timeout: 30_000,
      })
      .toBe('web/5');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 90_000);

  it('drains both workers on SIGTERM under load: no reset, every answered add is kept, exit 0', async () => {
    const server = await startWorkers();
    const clients = await loggedInClients(server.baseUrl, 20);
    // After SIGTERM every answer closes its connection, and a client's next connection is
    // refused once both workers have stopped listening: that is where each client stops.
    const load = runLoad(clients, () => true, { untilFailure: true });
    await sleep(1_500);
    const termAt = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await load.done;

    expect(unexpectedAnswers(load.statuses), 'every request in flight got its normal answer').toEqual([]);
    expect(load.failures.filter((failure) => failure.at < termAt)).toEqual([]);
    expect(load.failures.filter((failure) => failure.code !== 'ECONNREFUSED')).toEqual([]);
    expect(load.failures).toHaveLength(clients.length);
    expect(server.output()).toMatch(/stopped accepting new connections/);
    expect(errorsBesidesBusy(server.output())).toEqual([]);
    const { integrity, names } = inspectDb(server.dataDir);
    expect(integrity).toBe('ok');
    expect([...load.acknowledged].filter((name) => !names.has(name))).toEqual([]);
  }, 90_000);

  it('a port already in use stops it with one line naming PORT and exit code 1, not one per worker', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const failure = await startServer({ dataDir: tempDataDir(), port, env: WORKERS }).then(
        () => '',
        (err: Error) => err.message,
      );
      const [reason, output] = failure.split(' before listening:\n');
      expect(reason).toBe('server exited with 1');
      expect(output!.trim().split('\n'), output).toEqual([
        `Get It Done! cannot start: port ${port} on 127.0.0.1 is already in use. Set PORT to a free port (or stop the other server).`,
      ]);
    } finally {
      taken.close();
    }
  }, 60_000);
});
