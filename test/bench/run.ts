import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { createDb, migrateToLatest } from '../../src/db/knex';
import { createPasswords } from '../../src/auth/passwords';
import { projectRoot } from '../../src/paths';
import { BULK_PASSWORD, bulkEmail, seed } from '../../src/cli/seed-data';
import { searchText } from '../../src/db/search-text';
import { HttpClient } from '../helpers/http-client';
import { runWrk, wrkAvailable, type LoadRequest, type LoadResult } from './wrk';
import {
  markdownTable,
  parseProbeLines,
  processTree,
  readCpuMs,
  sampleRss,
  startCommand,
  startFlags,
  summarise,
  type ProbeLine,
} from './measure';

// npm run bench: builds, seeds a temp DATA_DIR, starts the real server (NODE_ENV=production,
// LOG_LEVEL=warn) and a bare node:http "ceiling" on 127.0.0.1, and measures W1-W6 + the ceiling.
// wrk (Debian's package) drives the saturating workloads; autocannon only the paced ones (W5).
// W1 also runs with WEB_CONCURRENCY=2 and, with BENCH_POSTGRES_URL set (a role that may create
// databases, e.g. postgres://me:pw@127.0.0.1:5432/postgres), on a throwaway PostgreSQL database
// with 1 and 2 workers; its server CPU then counts the PostgreSQL backends serving the app too.
// Knobs (environment): BENCH_RUNS (3), BENCH_DURATION seconds (10), BENCH_WARMUP seconds (2),
// BENCH_SERVER_ARGS (extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// BENCH_ONLY=W1,ceiling runs some workloads only (for profiling; no goal lines then, except W5's
// when both W5-alone and W5 run: BENCH_ONLY=W5-alone,W5 measures export isolation alone),
// BENCH_KEEP=1 keeps the temp DATA_DIR.

const intEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const RUNS = intEnv('BENCH_RUNS', 3);
const DURATION_S = intEnv('BENCH_DURATION', 10);
const WARMUP_S = intEnv('BENCH_WARMUP', 2);

const USERS = 10_000;
const TASKS_PER_USER = 100; // 1,000,000 tasks; half of each user's are completed
const BIG_ACCOUNT_TASKS = 10_000;
const BIG_USER = bulkEmail(1); // W4: topped up to 10,000 tasks
// W5: four full-quota accounts (10,000 tasks, MAX_TASKS_PER_USER's default) exporting at once.
const EXPORT_USERS = [BIG_USER, bulkEmail(4), bulkEmail(5), bulkEmail(6)];
// W5's GET / is paced, well below what the server can serve, so its latency shows how long the
// exports hold the event loop, not how the CPU is shared out under saturation.
const PACED_CONNECTIONS = 5;
const PACED_RATE = 50; // requests per second, all connections together
const LIST_USER = bulkEmail(2); // W1 and W3: 50 open + 50 completed
const ADD_USER = bulkEmail(3); // W2: tasks pile up here, not on the W1 page
const STORM_USERS = Array.from({ length: 20 }, (_, i) => bulkEmail(101 + i));
const SEARCH = 'task 9'; // W6
const LIST_CONNECTIONS = 50;
const ADD_CONNECTIONS = 20;
// The server sits behind a TLS proxy in production: it trusts loopback's X-Forwarded-Proto, so
// its Secure session cookie is set over the bench's plain HTTP.
const FORWARDED = { 'x-forwarded-proto': 'https' };

// One secret for the app and the "session" floor server, so both read the W1 user's session.
const SESSION_SECRET = crypto.randomBytes(32).toString('hex');

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- processes

interface Target {
  name: string;
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** PostgreSQL targets: the pids of the database backends serving them, whose CPU is server CPU too. */
  databasePids?: () => Promise<number[]>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv): Target & { port?: number } {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      log(`${name} exited with ${code ?? signal}:\n${output.slice(-2000)}`);
  });
  return { name, child, baseUrl: '', output: () => output };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** npm start's command line as the results name it: `MALLOC_ARENA_MAX=2 node --max-semi-space-size=2 …`. */
function startDescription(): string {
  const { env, flags } = startCommand();
  return [...Object.entries(env).map(([name, value]) => `${name}=${value}`), 'node', ...flags].join(' ');
}

/** Every server the bench starts preloads the probe (event-loop delay and memory on SIGUSR2). */
const preloadProbe = ['--require', path.join(__dirname, 'probe.js')];

/** The app as npm start runs it; `env` picks the workers (WEB_CONCURRENCY) and the database (DATABASE_URL). */
async function startApp(name: string, dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Target> {
  const port = await freePort();
  const extraArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...startFlags(), ...preloadProbe, ...extraArgs, path.join(projectRoot, 'dist/src/server.js')];
  const target = spawnNode(name, args, {
    ...process.env,
    ...startCommand().env,
    ...env,
    NODE_ENV: 'production',
    SESSION_SECRET,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    TRUST_PROXY: 'loopback',
    BCRYPT_ROUNDS: '12',
    BENCH_PROBE: '1',
    // The login storm comes from one address (127.0.0.1), many attempts at once: the throttles
    // would answer 429, which is their job, not what W3 measures.
    LOGIN_MAX_FAILURES_PER_EMAIL: '1000000',
    LOGIN_MAX_FAILURES_PER_IP: '1000000',
    REGISTER_MAX_PER_IP: '1000000',
    // W2's adds pile up in one account, past the default quota within a few runs.
    MAX_TASKS_PER_USER: '100000000',
  });
  target.baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${target.baseUrl}/healthz`)).status === 200,
    `the server ${name}`,
    60_000,
  );
  return target;
}

/** A server answering the W1 bytes: bare node:http, Express alone, or Express with the session (see ceiling.ts). */
async function startCeiling(
  bodyFile: string,
  mode: 'http' | 'express' | 'session',
  dataDir: string,
): Promise<Target> {
  // The same node flags as the app, so the floors' memory compares with W1's.
  const target = spawnNode(
    mode,
    [...startFlags(), ...preloadProbe, path.join(__dirname, 'ceiling.js'), bodyFile, mode],
    {
      ...process.env,
      ...startCommand().env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      SESSION_SECRET,
      TRUST_PROXY: 'loopback',
      BENCH_PROBE: '1',
    },
  );
  let port = 0;
  await waitFor(async () => {
    port = Number(/"port":(\d+)/.exec(target.output())?.[1] ?? 0);
    return port > 0;
  }, 'the ceiling server');
  target.baseUrl = `http://127.0.0.1:${port}`;
  return target;
}

async function stop(target: Target): Promise<void> {
  if (target.child.exitCode !== null) return;
  const exited = new Promise((resolve) => target.child.once('exit', resolve));
  target.child.kill('SIGTERM');
  await Promise.race([exited, sleep(15_000)]);
}

/** Asks every process of the target (cluster workers too) for its event-loop delay since the last ask. */
async function probe(target: Target): Promise<ProbeLine[]> {
  const pids = processTree(target.child.pid!);
  const from = target.output().length;
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 2000;
  let lines: ProbeLine[] = [];
  while (Date.now() < deadline) {
    lines = parseProbeLines(target.output().slice(from));
    if (lines.length >= pids.length) break;
    await sleep(20);
  }
  return lines;
}

// ---------------------------------------------------------------- data

/** The temp DATA_DIR's SQLite file or, with a DATABASE_URL (the server inherits it), that PostgreSQL database: give it an empty one. */
async function seedDatabase(dataDir: string, databaseUrl = process.env.DATABASE_URL): Promise<void> {
  const db = createDb(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl }).database);
  try {
    await migrateToLatest(db);
    const started = Date.now();
    // The default cost (12), so that W3's logins do the real bcrypt work.
    const result = await seed(db, createPasswords(12), { users: USERS, tasks: TASKS_PER_USER });
    for (const email of EXPORT_USERS) await topUpToFullAccount(db, email);
    const tasks = Number((await db('tasks').count({ n: '*' }).first())?.n);
    log(`seeded ${result.usersCreated} users and ${tasks} tasks in ${Date.now() - started} ms`);
  } finally {
    await db.destroy();
  }
}

interface BenchDatabase {
  url: string;
  /** The backends connected to this database, but for the bench's own. */
  backendPids(): Promise<number[]>;
  drop(): Promise<void>;
}

/** A throwaway PostgreSQL database next to the one BENCH_POSTGRES_URL names, for the W1-pg rows. */
async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `gid_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = createDb(loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_URL: adminUrl }).database);
  await admin.raw(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const watcher = createDb(loadConfig({ DATA_DIR: os.tmpdir(), DATABASE_URL: url.toString() }).database);
  return {
    url: url.toString(),
    backendPids: async () =>
      (
        await watcher.raw<{ rows: { pid: number }[] }>(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )
      ).rows.map((row) => row.pid),
    drop: async () => {
      await watcher.destroy();
      await admin.raw(`drop database if exists ${name} with (force)`);
      await admin.destroy();
    },
  };
}

async function topUpToFullAccount(db: Knex, email: string): Promise<void> {
  const owner = (await db('users').where('email', email).first<{ id: number }>('id'))!.id;
  await db.transaction(async (trx) => {
    for (let t = TASKS_PER_USER + 1; t <= BIG_ACCOUNT_TASKS; t += 450) {
      const rows = [];
      for (let i = t; i < Math.min(t + 450, BIG_ACCOUNT_TASKS + 1); i++) {
        const completed = i % 2 === 0;
        const name = `Task ${i} of ${BIG_ACCOUNT_TASKS}`;
        rows.push({
          owner_id: owner,
          name,
          name_search: searchText(name),
          position: i,
          completed,
          completed_at: completed ? trx.fn.now() : null,
        });
      }
      await trx('tasks').insert(rows);
    }
  });
}

// ---------------------------------------------------------------- logged-in clients

async function loggedIn(baseUrl: string, email: string): Promise<HttpClient> {
  const browser = new HttpClient(baseUrl, FORWARDED);
  const status = await browser.logIn(email, BULK_PASSWORD);
  if (status !== 303) throw new Error(`login as ${email} answered ${status}`);
  return browser;
}

// ---------------------------------------------------------------- workloads

/** What runs next to the measured load: its count, failures, rate and p99 duration. */
interface SideLoad {
  count: number;
  failed: number;
  /** Refused on purpose by a full queue (a fast 503 with Retry-After), then retried. */
  shed?: number;
  perSec: number;
  p99Ms: number;
}

interface RunFigures {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts and responses other than the expected status. */
  errors: number;
  requests: number;
  peakRssMb: number;
  /** The highest RSS of one worker (the only process, or each cluster worker; not the primary). */
  peakWorkerRssMb: number;
  eventLoopP99Ms: number;
  /** The longest the server's event loop was held during the run (all of its processes). */
  eventLoopMaxMs: number;
  /** Server CPU time (user + system, whole process tree) per request: less noisy than req/s on a busy machine. */
  cpuMsPerRequest: number;
  /** Of that, the PostgreSQL backends' (PostgreSQL targets only). */
  databaseCpuMsPerRequest?: number;
  /** Time in garbage collection as a share of the server's CPU time. */
  gcShare: number;
  /** V8's heap (in use and reserved) and memory outside it, when the run ended. */
  heapAtEndMb?: { used?: number; total?: number; external?: number };
  logins?: SideLoad;
  /** W5: the full-account exports that ran next to the measured GET /. */
  exports?: SideLoad;
}

interface Workload {
  key: string;
  label: string;
  target: () => Target;
  /** The request and how many connections send it (wrk), or at what steady rate (`paced`, autocannon). */
  load: () => Omit<LoadRequest, 'durationS'>;
  /** Requests per second, all connections together: a light, fixed rate instead of saturation. */
  paced?: number;
  /** Runs next to the measured window (W3's login storm, W5's exports). */
  alongside?: (baseUrl: string, seconds: number) => Promise<Pick<RunFigures, 'logins' | 'exports'>>;
}

/** A fixed-rate load: autocannon's overallRate (wrk has none); at 50 requests/s it costs the machine nothing. */
async function pacedLoad(request: LoadRequest, rate: number): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.durationS,
    overallRate: rate,
    headers: request.headers,
  });
  const statuses: Record<string, number> = {};
  let unexpected = 0;
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = stats.count ?? 0;
    if (Number(code) !== request.expectStatus) unexpected += stats.count ?? 0;
  }
  return {
    requests: result.requests.total,
    durationS: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: unexpected + result.errors + result.timeouts,
    statuses,
  };
}

function generate(workload: Workload, durationS: number): Promise<LoadResult> {
  const request = { ...workload.load(), durationS };
  return workload.paced ? pacedLoad(request, workload.paced) : runWrk(request);
}

const heapOf = (line: ProbeLine | undefined) =>
  line && { used: line.heapUsedMb, total: line.heapTotalMb, external: line.externalMb };

/** CPU milliseconds so far of the target's processes and, for PostgreSQL targets, of its backends. */
async function cpuSnapshot(target: Target): Promise<{ app: number; database: Map<number, number> }> {
  const app = processTree(target.child.pid!).reduce((sum, pid) => sum + readCpuMs(pid), 0);
  const pids = (await target.databasePids?.()) ?? [];
  return { app, database: new Map(pids.map((pid) => [pid, readCpuMs(pid)])) };
}

async function runOnce(workload: Workload): Promise<RunFigures> {
  const target = workload.target();
  await generate(workload, WARMUP_S);
  await probe(target); // starts the event-loop histogram afresh
  const rss = sampleRss(target.child.pid!);
  const before = await cpuSnapshot(target);
  const [result, side] = await Promise.all([
    generate(workload, DURATION_S),
    workload.alongside?.(target.baseUrl, DURATION_S),
  ]);
  const after = await cpuSnapshot(target);
  const sideLoads = [side?.logins, side?.exports].filter((load) => load !== undefined);
  const sideSum = (pick: (load: SideLoad) => number) => sideLoads.reduce((sum, load) => sum + pick(load), 0);
  const appCpuMs = after.app - before.app;
  let databaseCpuMs = 0;
  for (const [pid, ms] of after.database) databaseCpuMs += ms - (before.database.get(pid) ?? 0);
  const peak = rss.stop();
  const perProcess = [...rss.peakPerProcess()];
  // A cluster's primary only hands out connections; the goal is per worker.
  const workers = perProcess.length > 1 ? perProcess.filter(([pid]) => pid !== target.child.pid) : perProcess;
  const lines = await probe(target);
  const handled = Math.max(1, result.requests + sideSum((load) => load.count));
  const gcMs = lines.reduce((sum, line) => sum + (line.gcMs ?? 0), 0);
  return {
    reqPerSec: result.requests / result.durationS,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    errors: result.errors + sideSum((load) => load.failed),
    requests: result.requests,
    peakRssMb: peak / 1024 / 1024,
    peakWorkerRssMb: Math.max(0, ...workers.map(([, bytes]) => bytes)) / 1024 / 1024,
    eventLoopP99Ms: Math.max(0, ...lines.map((line) => line.eventLoopDelayP99Ms)),
    eventLoopMaxMs: Math.max(0, ...lines.map((line) => line.eventLoopDelayMaxMs)),
    cpuMsPerRequest: (appCpuMs + databaseCpuMs) / handled,
    ...(target.databasePids ? { databaseCpuMsPerRequest: databaseCpuMs / handled } : {}),
    gcShare: appCpuMs > 0 ? gcMs / appCpuMs : 0,
    heapAtEndMb: heapOf(lines.at(-1)),
    ...side,
  };
}

/**
 * 20 browsers logging in over and over through the real form, for `seconds`. When the bcrypt
 * queue is full the server sheds the login with a fast 503 and Retry-After (auth/passwords.ts):
 * that is counted as shed, not failed, and the browser waits as it is told before trying again.
 */
async function loginStorm(baseUrl: string, seconds: number): Promise<SideLoad> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let failed = 0;
  let shed = 0;
  const started = Date.now();
  await Promise.all(
    STORM_USERS.map(async (email) => {
      while (Date.now() < deadline) {
        const began = Date.now();
        const browser = new HttpClient(baseUrl, FORWARDED);
        const status = await browser.logIn(email, BULK_PASSWORD).catch(() => 0);
        if (status === 303) latencies.push(Date.now() - began);
        else if (status === 503) {
          shed++;
          await sleep(Math.min(1000 * (browser.lastRetryAfterS ?? 1), Math.max(0, deadline - Date.now())));
        } else failed++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    failed,
    shed,
    perSec: latencies.length / ((Date.now() - started) / 1000),
    p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? 0,
  };
}

/**
 * One browser per full account downloading its JSON export over and over, all at once, for
 * `seconds`; an export counts as failed unless it is a 200 holding every one of the tasks.
 */
async function exportStorm(browsers: HttpClient[], seconds: number): Promise<SideLoad> {
  const deadline = Date.now() + seconds * 1000;
  const durations: number[] = [];
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    browsers.map(async (browser) => {
      while (Date.now() < deadline) {
        const began = Date.now();
        const tasks = await browser
          .request('/account/export.json')
          .then(async (res) => (res.status === 200 ? (await res.text()).split('\n  {\n').length - 1 : -1))
          .catch(() => -1);
        if (tasks === BIG_ACCOUNT_TASKS) durations.push(Date.now() - began);
        else failed++;
      }
    }),
  );
  durations.sort((a, b) => a - b);
  return {
    count: durations.length,
    failed,
    perSec: durations.length / ((Date.now() - started) / 1000),
    p99Ms: durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.99))] ?? 0,
  };
}

// ---------------------------------------------------------------- report

const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits }) : '-';

interface Summary {
  key: string;
  label: string;
  runs: RunFigures[];
  reqPerSec: ReturnType<typeof summarise>;
  p50Ms: ReturnType<typeof summarise>;
  p99Ms: ReturnType<typeof summarise>;
  errors: number;
  peakRssMb: number;
  peakWorkerRssMb: number;
  eventLoopP99Ms: ReturnType<typeof summarise>;
  eventLoopMaxMs: ReturnType<typeof summarise>;
  cpuMsPerRequest: ReturnType<typeof summarise>;
  databaseCpuMsPerRequest?: ReturnType<typeof summarise>;
  gcShare: ReturnType<typeof summarise>;
}

function summariseRuns(workload: Workload, runs: RunFigures[]): Summary {
  const database = runs.flatMap((r) =>
    r.databaseCpuMsPerRequest === undefined ? [] : [r.databaseCpuMsPerRequest],
  );
  return {
    key: workload.key,
    label: workload.label,
    runs,
    reqPerSec: summarise(runs.map((r) => r.reqPerSec)),
    p50Ms: summarise(runs.map((r) => r.p50Ms)),
    p99Ms: summarise(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    peakWorkerRssMb: Math.max(...runs.map((r) => r.peakWorkerRssMb)),
    eventLoopP99Ms: summarise(runs.map((r) => r.eventLoopP99Ms)),
    eventLoopMaxMs: summarise(runs.map((r) => r.eventLoopMaxMs)),
    cpuMsPerRequest: summarise(runs.map((r) => r.cpuMsPerRequest)),
    ...(database.length ? { databaseCpuMsPerRequest: summarise(database) } : {}),
    gcShare: summarise(runs.map((r) => r.gcShare)),
  };
}

function machine(): string {
  const cpus = os.cpus();
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ` +
    `Linux ${os.release()}, Node ${process.version}; load average at start ${os.loadavg()[0]!.toFixed(2)}`
  );
}

const APP_ROWS = ['W1', 'W1-2w', 'W1-pg', 'W1-pg-2w', 'W2', 'W3', 'W4', 'W5-alone', 'W5', 'W6'];

function report(summaries: Summary[], machineLine: string) {
  const by = (key: string) => summaries.find((s) => s.key === key);
  const rows = summaries.map((s) => [
    s.label,
    `${fmt(s.reqPerSec.median)} (±${fmt((s.reqPerSec.spread * 100) / 2)}%)`,
    fmt(s.p50Ms.median, 1),
    `${fmt(s.p99Ms.median, 1)} (${fmt(s.p99Ms.min, 1)}–${fmt(s.p99Ms.max, 1)})`,
    String(s.errors),
    s.peakWorkerRssMb < s.peakRssMb - 1
      ? `${fmt(s.peakRssMb)} (${fmt(s.peakWorkerRssMb)})`
      : fmt(s.peakRssMb),
    fmt(s.eventLoopP99Ms.median, 1),
    s.databaseCpuMsPerRequest
      ? `${fmt(s.cpuMsPerRequest.median, 2)} (db ${fmt(s.databaseCpuMsPerRequest.median, 2)})`
      : fmt(s.cpuMsPerRequest.median, 2),
    `${fmt(s.gcShare.median * 100, 1)}%`,
  ]);
  const table = markdownTable(
    [
      'workload',
      'req/s (spread)',
      'p50 ms',
      'p99 ms (min–max)',
      'errors',
      'peak RSS MB (per worker)',
      'event-loop p99 ms',
      'server CPU ms/req',
      'GC',
    ],
    rows,
  );
  const footer =
    `Load: wrk (2 threads) for the saturating rows, autocannon for the paced W5 rows. ` +
    `Server: started as npm start does (${startDescription()}), NODE_ENV=production, LOG_LEVEL=warn; one process unless the row says 2 workers (WEB_CONCURRENCY=2: RSS is the whole tree, with the highest worker in brackets). ` +
    `PostgreSQL rows: server CPU includes the PostgreSQL backends serving the app (in brackets). GC: time in garbage collection / the app's CPU time. ` +
    `Medians of ${RUNS} runs of ${DURATION_S} s each after a ${WARMUP_S} s warm-up; spread = (max − min) / 2 / median; peak RSS is the highest of the runs. Machine: ${machineLine}.`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const cpu = (s: Summary) => s.cpuMsPerRequest.median;
  const goals: string[] = [];
  const ratios: Record<string, number> = {};
  /** A goal line when every row it needs ran (BENCH_ONLY may leave some out). */
  const goal = (keys: string[], line: (...rows: Summary[]) => string) => {
    const needed = keys.map(by);
    if (needed.every((s) => s !== undefined)) goals.push(line(...(needed as Summary[])));
  };
  goal(['W1', 'session'], (w1, floor) => {
    ratios.w1OverSessionFloorByCpu = cpu(w1) / cpu(floor);
    return (
      `- W1 server CPU per request / the "Express 5 + our middleware to the session" floor's: ${fmt(cpu(w1), 2)} / ${fmt(cpu(floor), 2)} ms = ` +
      `**${fmt(ratios.w1OverSessionFloorByCpu, 2)}×** (goal ≤ 2.5×: ${verdict(ratios.w1OverSessionFloorByCpu <= 2.5)}; stretch ≤ 2×: ${verdict(ratios.w1OverSessionFloorByCpu <= 2)})`
    );
  });
  goal(['W1', 'ceiling'], (w1, ceiling) => {
    ratios.w1OfCeiling = w1.reqPerSec.median / ceiling.reqPerSec.median;
    return (
      `- W1 / ceiling req/s: **${fmt(ratios.w1OfCeiling * 100, 1)}%** (goal ≥ 25%: ${verdict(ratios.w1OfCeiling >= 0.25)}); ` +
      `by server CPU per request: ceiling ${fmt(cpu(ceiling), 2)} ms / W1 ${fmt(cpu(w1), 2)} ms = ${fmt((cpu(ceiling) / cpu(w1)) * 100, 1)}%`
    );
  });
  goal(['W1', 'express', 'session', 'ceiling'], (w1, expressAlone, withSession, ceiling) => {
    const share = (s: Summary) => fmt((s.reqPerSec.median / ceiling.reqPerSec.median) * 100, 1);
    return (
      `- Where the rest goes, as shares of the ceiling's req/s: Express 5 alone **${share(expressAlone)}%**, ` +
      `with our logging, headers, body parser and session (one store read per request) **${share(withSession)}%**, ` +
      `W1 (the queries, CSRF, flash, a 100-task render) **${share(w1)}%**`
    );
  });
  goal(['W1', 'W1-2w'], (one, two) => {
    ratios.twoWorkersOverOne = two.reqPerSec.median / one.reqPerSec.median;
    return `- W1 with 2 workers / 1 process (SQLite), req/s: ${fmt(two.reqPerSec.median)} / ${fmt(one.reqPerSec.median)} = **${fmt(ratios.twoWorkersOverOne, 2)}×** (goal ≥ 1.6×: ${verdict(ratios.twoWorkersOverOne >= 1.6)})`;
  });
  goal(['W1-pg', 'W1-pg-2w'], (one, two) => {
    ratios.pgTwoWorkersOverOne = two.reqPerSec.median / one.reqPerSec.median;
    return `- W1 on PostgreSQL with 2 workers / 1 process, req/s: ${fmt(two.reqPerSec.median)} / ${fmt(one.reqPerSec.median)} = **${fmt(ratios.pgTwoWorkersOverOne, 2)}×**`;
  });
  goal(['W1', 'W1-pg'], (sqlite, pg) => {
    ratios.pgOverSqliteByCpu = cpu(pg) / cpu(sqlite);
    return (
      `- W1 on PostgreSQL / on SQLite, server CPU per request (PostgreSQL's backends included): ${fmt(cpu(pg), 2)} / ${fmt(cpu(sqlite), 2)} ms = ` +
      `**${fmt(ratios.pgOverSqliteByCpu, 2)}×** (goal ≤ 1.5×: ${verdict(ratios.pgOverSqliteByCpu <= 1.5)})`
    );
  });
  goal(['W1', 'W4'], (w1, w4) => {
    ratios.w4OverW1ByCpu = cpu(w4) / cpu(w1);
    ratios.w4P50OverW1P50 = w4.p50Ms.median / w1.p50Ms.median;
    return (
      `- W4 (10,000-task account) / W1, server CPU per request: **${fmt(ratios.w4OverW1ByCpu, 2)}×** (goal ≤ 1.2×: ${verdict(ratios.w4OverW1ByCpu <= 1.2)}); ` +
      `p50: ${fmt(ratios.w4P50OverW1P50, 2)}× (goal ≤ 2×: ${verdict(ratios.w4P50OverW1P50 <= 2)})`
    );
  });
  goal(['W1', 'W2'], (w1, w2) => {
    ratios.w2OverW1ByCpu = cpu(w2) / cpu(w1);
    return `- W2 (add) / W1, server CPU per request: **${fmt(ratios.w2OverW1ByCpu, 2)}×** (goal ≤ 1.5×: ${verdict(ratios.w2OverW1ByCpu <= 1.5)})`;
  });
  goal(['W1'], (w1) => {
    ratios.w1P99OverP50 = w1.p99Ms.median / w1.p50Ms.median;
    ratios.w1EventLoopP99Ms = w1.eventLoopP99Ms.median;
    ratios.w1GcShare = w1.gcShare.median;
    return (
      `- W1 p99 / p50: ${fmt(w1.p99Ms.median, 1)} / ${fmt(w1.p50Ms.median, 1)} ms = **${fmt(ratios.w1P99OverP50, 2)}×** (goal ≤ 2.5×: ${verdict(ratios.w1P99OverP50 <= 2.5)}); ` +
      `event-loop delay p99 **${fmt(ratios.w1EventLoopP99Ms, 1)} ms** (goal < 20 ms: ${verdict(ratios.w1EventLoopP99Ms < 20)}); ` +
      `GC **${fmt(ratios.w1GcShare * 100, 1)}%** of the server's CPU (goal < 3%: ${verdict(ratios.w1GcShare < 0.03)})`
    );
  });
  goal(['W1', 'W3'], (w1, w3) => {
    const storm = w3.runs.map((r) => r.logins!);
    ratios.stormP99OverAlone = w3.p99Ms.median / w1.p99Ms.median;
    return (
      `- W1 p99 during the login storm / alone: **${fmt(ratios.stormP99OverAlone, 2)}×** (goal ≤ 2×: ${verdict(ratios.stormP99OverAlone <= 2)}); ` +
      `logins during the storm: ${fmt(summarise(storm.map((l) => l.perSec)).median, 1)}/s, p99 ${fmt(summarise(storm.map((l) => l.p99Ms)).median)} ms, ${storm.reduce((s, l) => s + l.failed, 0)} failed, ${storm.reduce((s, l) => s + (l.shed ?? 0), 0)} shed by the full bcrypt queue (a fast 503 with Retry-After, then retried)`
    );
  });
  goal(['W5-alone', 'W5'], (alone, during) => {
    const exports = during.runs.map((r) => r.exports!);
    ratios.exportP99OverAlone = during.p99Ms.median / alone.p99Ms.median;
    ratios.exportPeakRssMb = during.peakRssMb;
    return [
      `- W5 another user's paced GET / p99 during 4 full-quota exports / alone: **${fmt(ratios.exportP99OverAlone, 2)}×** (goal ≤ 2×: ${verdict(ratios.exportP99OverAlone <= 2)}); ` +
        `exports: ${fmt(summarise(exports.map((e) => e.perSec)).median, 1)}/s, p99 ${fmt(summarise(exports.map((e) => e.p99Ms)).median)} ms each, ${exports.reduce((sum, e) => sum + e.failed, 0)} failed; ` +
        `longest event-loop hold during them ${fmt(during.eventLoopMaxMs.median, 1)} ms (alone ${fmt(alone.eventLoopMaxMs.median, 1)} ms)`,
      `- W5 peak server RSS during the exports: **${fmt(ratios.exportPeakRssMb)} MB** (goal < 200 MB: ${verdict(ratios.exportPeakRssMb < 200)})`,
    ].join('\n');
  });
  const appRows = summaries.filter((s) => APP_ROWS.includes(s.key) && s.key !== 'W5');
  if (appRows.length) {
    ratios.peakWorkerRssMb = Math.max(...appRows.map((s) => s.peakWorkerRssMb));
    const worst = appRows.find((s) => s.peakWorkerRssMb === ratios.peakWorkerRssMb)!;
    goals.push(
      `- peak RSS per worker, every app row but W5's exports: **${fmt(ratios.peakWorkerRssMb)} MB** (${worst.key}; goal < 120 MB: ${verdict(ratios.peakWorkerRssMb < 120)})`,
    );
  }
  ratios.totalErrors = summaries.reduce((sum, s) => sum + s.errors, 0);
  goals.push(
    `- errors in all workloads: **${ratios.totalErrors}** (goal 0: ${verdict(ratios.totalErrors === 0)})`,
  );
  const markdown = [table, '', ...goals, '', footer].join('\n');
  return { markdown, ratios };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!(await wrkAvailable())) {
    log('npm run bench drives the load with wrk: install it first (apt-get install wrk).');
    process.exit(1);
  }
  const machineLine = machine();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gid-bench-'));
  const only = process.env.BENCH_ONLY?.split(',');
  const wanted = (key: string) => !only || only.includes(key);
  const servers: Target[] = [];
  let benchDatabase: BenchDatabase | undefined;
  try {
    log(`seeding ${USERS} users × ${TASKS_PER_USER} tasks into ${dataDir} …`);
    await seedDatabase(dataDir);
    const postgresUrl = process.env.BENCH_POSTGRES_URL;
    const pgDataDir = path.join(dataDir, 'pg');
    if (postgresUrl && (wanted('W1-pg') || wanted('W1-pg-2w'))) {
      benchDatabase = await createBenchDatabase(postgresUrl);
      fs.mkdirSync(pgDataDir);
      log(`seeding the same into a throwaway PostgreSQL database …`);
      await seedDatabase(pgDataDir, benchDatabase.url);
    } else if (!postgresUrl) {
      log('BENCH_POSTGRES_URL is unset: the W1-pg rows are left out.');
    }
    const app = await startApp('server', dataDir);
    servers.push(app);
    /** A further W1 server, the W1 user logged in through its own forms. */
    const startW1Server = async (
      name: string,
      dir: string,
      env: NodeJS.ProcessEnv,
      database?: BenchDatabase,
    ) => {
      const target = await startApp(name, dir, env);
      servers.push(target);
      if (database) target.databasePids = database.backendPids;
      return { target, browser: await loggedIn(target.baseUrl, LIST_USER) };
    };
    const extra = [
      ...(wanted('W1-2w')
        ? [
            {
              key: 'W1-2w',
              label: 'W1 with 2 workers (SQLite)',
              ...(await startW1Server('server-2w', dataDir, { WEB_CONCURRENCY: '2' })),
            },
          ]
        : []),
      ...(benchDatabase && wanted('W1-pg')
        ? [
            {
              key: 'W1-pg',
              label: 'W1 on PostgreSQL',
              ...(await startW1Server(
                'server-pg',
                pgDataDir,
                { DATABASE_URL: benchDatabase.url },
                benchDatabase,
              )),
            },
          ]
        : []),
      ...(benchDatabase && wanted('W1-pg-2w')
        ? [
            {
              key: 'W1-pg-2w',
              label: 'W1 on PostgreSQL, 2 workers',
              ...(await startW1Server(
                'server-pg-2w',
                pgDataDir,
                { DATABASE_URL: benchDatabase.url, WEB_CONCURRENCY: '2' },
                benchDatabase,
              )),
            },
          ]
        : []),
    ];
    log(`server up at ${app.baseUrl}; logging in through the forms …`);
    const [list, add, big] = await Promise.all([
      loggedIn(app.baseUrl, LIST_USER),
      loggedIn(app.baseUrl, ADD_USER),
      loggedIn(app.baseUrl, BIG_USER),
    ]);
    const appUrl = app.baseUrl;
    const exporters = await Promise.all(EXPORT_USERS.map((email) => loggedIn(appUrl, email)));
    const addCsrf = await add.csrf('/');
    const page = await (await list.request('/')).arrayBuffer();
    const bodyFile = path.join(dataDir, 'w1-page.html');
    fs.writeFileSync(bodyFile, Buffer.from(page));
    const [ceiling, expressAlone, withSession] = [
      await startCeiling(bodyFile, 'http', dataDir),
      await startCeiling(bodyFile, 'express', dataDir),
      await startCeiling(bodyFile, 'session', dataDir),
    ];
    servers.push(ceiling, expressAlone, withSession);
    const bigPage = await (await big.request('/')).arrayBuffer();
    log(`W1 page ${page.byteLength} bytes, W4 page ${bigPage.byteLength} bytes`);

    /** GET / (or `path`) with a browser's cookie, 50 connections. */
    const get = (browser: HttpClient, base: string, path = '/'): Omit<LoadRequest, 'durationS'> => ({
      url: `${base}${path}`,
      connections: LIST_CONNECTIONS,
      headers: { ...FORWARDED, cookie: browser.cookieHeader },
      expectStatus: 200,
    });
    /** GET / against one server, 50 connections, with the W1 user's cookie unless told. */
    const listing = (key: string, label: string, target: Target, browser = list, path = '/'): Workload => ({
      key,
      label,
      target: () => target,
      load: () => get(browser, target.baseUrl, path),
    });
    /** W1's GET / at a steady, light rate: latency as one user sees it, not throughput. */
    const paced = (key: string, label: string): Workload => ({
      ...listing(key, label, app),
      load: () => ({ ...get(list, app.baseUrl), connections: PACED_CONNECTIONS }),
      paced: PACED_RATE,
    });
    const workloads: Workload[] = [
      listing('ceiling', 'ceiling: bare node:http, W1 bytes', ceiling),
      listing('express', 'Express 5 alone, W1 bytes', expressAlone),
      listing('session', 'Express 5 + our middleware to the session, W1 bytes', withSession),
      listing('W1', 'W1 list (50 open + 50 done)', app),
      ...extra.map((server) => listing(server.key, server.label, server.target, server.browser)),
      {
        ...listing('W3', 'W3 W1 during 20-login storm', app),
        alongside: async (baseUrl, seconds) => ({ logins: await loginStorm(baseUrl, seconds) }),
      },
      listing('W4', 'W4 10,000-task account', app, big),
      paced('W5-alone', `W5 W1's GET / paced at ${PACED_RATE}/s, alone`),
      {
        ...paced('W5', `W5 the same during 4 full-quota JSON exports`),
        alongside: async (_baseUrl, seconds) => ({ exports: await exportStorm(exporters, seconds) }),
      },
      // A search that scans the whole account: 1,111 of its 10,000 names contain "task 9".
      listing('W6', 'W6 search in the 10,000-task account', app, big, `/?q=${encodeURIComponent(SEARCH)}`),
      {
        key: 'W2',
        label: 'W2 add (POST /, CSRF)',
        target: () => app,
        load: () => ({
          url: `${app.baseUrl}/`,
          connections: ADD_CONNECTIONS,
          method: 'POST',
          headers: {
            ...FORWARDED,
            cookie: add.cookieHeader,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: addCsrf, task: 'Benchmark task' }).toString(),
          expectStatus: 303,
          // A 303 to /login (a lost session) would look like success by status alone.
          expectLocation: '/',
        }),
      },
    ];

    const selected = workloads.filter((w) => wanted(w.key));
    const runs = new Map<string, RunFigures[]>(selected.map((w) => [w.key, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const workload of selected) {
        const figures = await runOnce(workload);
        runs.get(workload.key)!.push(figures);
        log(
          `run ${run}/${RUNS} ${workload.key}: ${fmt(figures.reqPerSec)} req/s, p50 ${fmt(figures.p50Ms, 1)} ms, ` +
            `p99 ${fmt(figures.p99Ms, 1)} ms, errors ${figures.errors}, RSS ${fmt(figures.peakRssMb)} MB (worker ${fmt(figures.peakWorkerRssMb)}), ` +
            `event loop p99 ${figures.eventLoopP99Ms} ms (max ${figures.eventLoopMaxMs}), CPU ${fmt(figures.cpuMsPerRequest, 2)} ms/req` +
            (figures.databaseCpuMsPerRequest === undefined
              ? ''
              : ` (database ${fmt(figures.databaseCpuMsPerRequest, 2)})`) +
            `, GC ${fmt(figures.gcShare * 100, 1)}%` +
            (figures.heapAtEndMb
              ? `, V8 heap ${figures.heapAtEndMb.used}/${figures.heapAtEndMb.total} MB used/reserved, external ${figures.heapAtEndMb.external} MB`
              : '') +
            (figures.logins
              ? `, logins ${figures.logins.count} (${figures.logins.failed} failed, ${figures.logins.shed ?? 0} shed)`
              : '') +
            (figures.exports
              ? `, exports ${figures.exports.count} (${figures.exports.failed} failed, p99 ${figures.exports.p99Ms} ms)`
              : ''),
        );
      }
    }
    const order = [...APP_ROWS, 'session', 'express', 'ceiling'].filter((key) => runs.has(key));
    const summaries = order.map((key) =>
      summariseRuns(
        workloads.find((w) => w.key === key)!,
        runs.get(key)!,
      ),
    );
    const { markdown, ratios } = report(summaries, machineLine);
    process.stdout.write(`\n${markdown}\n`);

    const resultsDir = path.join(projectRoot, 'bench-results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const json = JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: machineLine,
        loadAverageAtEnd: os.loadavg(),
        settings: {
          runs: RUNS,
          durationS: DURATION_S,
          warmupS: WARMUP_S,
          loadGenerator: 'wrk --threads=2 (paced rows: autocannon)',
          listConnections: LIST_CONNECTIONS,
          addConnections: ADD_CONNECTIONS,
          users: USERS,
          tasksPerUser: TASKS_PER_USER,
          bigAccountTasks: BIG_ACCOUNT_TASKS,
          postgres: Boolean(benchDatabase),
          server: {
            env: startCommand().env,
            nodeFlags: startFlags(),
            NODE_ENV: 'production',
            LOG_LEVEL: 'warn',
            BCRYPT_ROUNDS: 12,
          },
        },
        pageBytes: { w1: page.byteLength, w4: bigPage.byteLength },
        ratios,
        workloads: summaries,
        markdown,
      },
      null,
      2,
    );
    const file = path.join(resultsDir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, json);
    fs.writeFileSync(path.join(resultsDir, 'latest.json'), json);
    log(`\nfigures written to ${path.relative(projectRoot, file)} (and bench-results/latest.json)`);
  } finally {
    for (const server of servers.reverse()) await stop(server);
    await benchDatabase?.drop();
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
