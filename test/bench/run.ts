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
import {
  markdownTable,
  parseProbeLines,
  processTree,
  readCpuMs,
  sampleRss,
  startFlags,
  summarise,
  type ProbeLine,
} from './measure';

// npm run bench: builds, seeds a temp DATA_DIR, starts the real server (NODE_ENV=production,
// LOG_LEVEL=warn) and a bare node:http "ceiling" on 127.0.0.1, and measures W1-W6 + the ceiling.
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

/** Every server the bench starts preloads the probe (event-loop delay and memory on SIGUSR2). */
const preloadProbe = ['--require', path.join(__dirname, 'probe.js')];

async function startApp(dataDir: string): Promise<Target> {
  const port = await freePort();
  const extraArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
  const args = [...startFlags(), ...preloadProbe, ...extraArgs, path.join(projectRoot, 'dist/src/server.js')];
  const target = spawnNode('server', args, {
    ...process.env,
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
  await waitFor(async () => (await fetch(`${target.baseUrl}/healthz`)).status === 200, 'the server');
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

/** The temp DATA_DIR's SQLite file or, with DATABASE_URL set (the server inherits it), that PostgreSQL database: give it an empty one. */
async function seedDatabase(dataDir: string): Promise<void> {
  const db = createDb(loadConfig({ DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL }).database);
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
  eventLoopP99Ms: number;
  /** The longest the server's event loop was held during the run (all of its processes). */
  eventLoopMaxMs: number;
  /** Server CPU time (user + system, whole process tree) per request: less noisy than req/s on a busy machine. */
  cpuMsPerRequest: number;
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
  options: () => autocannon.Options;
  expectStatus: number;
  /** Runs next to the measured window (W3's login storm, W5's exports). */
  alongside?: (baseUrl: string, seconds: number) => Promise<Pick<RunFigures, 'logins' | 'exports'>>;
}

function countUnexpected(result: autocannon.Result, expectStatus: number): number {
  let unexpected = 0;
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    if (Number(code) !== expectStatus) unexpected += stats.count ?? 0;
  }
  return unexpected + result.errors + result.mismatches;
}

const heapOf = (line: ProbeLine | undefined) =>
  line && { used: line.heapUsedMb, total: line.heapTotalMb, external: line.externalMb };

async function runOnce(workload: Workload): Promise<RunFigures> {
  const target = workload.target();
  const options = workload.options();
  await autocannon({ ...options, duration: WARMUP_S });
  await probe(target); // starts the event-loop histogram afresh
  const rss = sampleRss(target.child.pid!);
  const cpuNow = () => processTree(target.child.pid!).reduce((sum, pid) => sum + readCpuMs(pid), 0);
  const cpuBefore = cpuNow();
  const [result, side] = await Promise.all([
    autocannon({ ...options, duration: DURATION_S }),
    workload.alongside?.(target.baseUrl, DURATION_S),
  ]);
  const sideLoads = [side?.logins, side?.exports].filter((load) => load !== undefined);
  const sideSum = (pick: (load: SideLoad) => number) => sideLoads.reduce((sum, load) => sum + pick(load), 0);
  const cpuMs = cpuNow() - cpuBefore;
  const peak = rss.stop();
  const lines = await probe(target);
  return {
    reqPerSec: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: countUnexpected(result, workload.expectStatus) + sideSum((load) => load.failed),
    requests: result.requests.total,
    peakRssMb: peak / 1024 / 1024,
    eventLoopP99Ms: Math.max(0, ...lines.map((line) => line.eventLoopDelayP99Ms)),
    eventLoopMaxMs: Math.max(0, ...lines.map((line) => line.eventLoopDelayMaxMs)),
    cpuMsPerRequest: cpuMs / Math.max(1, result.requests.total + sideSum((load) => load.count)),
    heapAtEndMb: heapOf(lines.at(-1)),
    ...side,
  };
}

/** 20 browsers logging in over and over through the real form, for `seconds`. */
async function loginStorm(baseUrl: string, seconds: number): Promise<SideLoad> {
  const deadline = Date.now() + seconds * 1000;
  const latencies: number[] = [];
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    STORM_USERS.map(async (email) => {
      while (Date.now() < deadline) {
        const began = Date.now();
        const status = await new HttpClient(baseUrl, FORWARDED).logIn(email, BULK_PASSWORD).catch(() => 0);
        if (status === 303) latencies.push(Date.now() - began);
        else failed++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    failed,
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
  eventLoopP99Ms: ReturnType<typeof summarise>;
  eventLoopMaxMs: ReturnType<typeof summarise>;
  cpuMsPerRequest: ReturnType<typeof summarise>;
}

function summariseRuns(workload: Workload, runs: RunFigures[]): Summary {
  return {
    key: workload.key,
    label: workload.label,
    runs,
    reqPerSec: summarise(runs.map((r) => r.reqPerSec)),
    p50Ms: summarise(runs.map((r) => r.p50Ms)),
    p99Ms: summarise(runs.map((r) => r.p99Ms)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    eventLoopP99Ms: summarise(runs.map((r) => r.eventLoopP99Ms)),
    eventLoopMaxMs: summarise(runs.map((r) => r.eventLoopMaxMs)),
    cpuMsPerRequest: summarise(runs.map((r) => r.cpuMsPerRequest)),
  };
}

function machine(): string {
  const cpus = os.cpus();
  return (
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ` +
    `Linux ${os.release()}, Node ${process.version}; load average at start ${os.loadavg()[0]!.toFixed(2)}`
  );
}

/** W5: the paced GET / with the exports against the same alone, and what the exports did. */
function exportIsolation(alone: Summary | undefined, during: Summary | undefined) {
  if (!alone || !during) return undefined;
  const exports = during.runs.map((r) => r.exports!);
  return {
    p99OverAlone: during.p99Ms.median / alone.p99Ms.median,
    peakRssMb: during.peakRssMb,
    eventLoopMaxMs: during.eventLoopMaxMs.median,
    eventLoopMaxAloneMs: alone.eventLoopMaxMs.median,
    exportsPerSec: summarise(exports.map((e) => e.perSec)).median,
    exportP99Ms: summarise(exports.map((e) => e.p99Ms)).median,
    exportsFailed: exports.reduce((sum, e) => sum + e.failed, 0),
  };
}

function report(summaries: Summary[], machineLine: string) {
  const by = (key: string) => summaries.find((s) => s.key === key);
  const rows = summaries.map((s) => [
    s.label,
    `${fmt(s.reqPerSec.median)} (±${fmt((s.reqPerSec.spread * 100) / 2)}%)`,
    fmt(s.p50Ms.median, 1),
    `${fmt(s.p99Ms.median, 1)} (${fmt(s.p99Ms.min, 1)}–${fmt(s.p99Ms.max, 1)})`,
    String(s.errors),
    fmt(s.peakRssMb),
    fmt(s.eventLoopP99Ms.median, 1),
    fmt(s.cpuMsPerRequest.median, 2),
  ]);
  const table = markdownTable(
    [
      'workload',
      'req/s (spread)',
      'p50 ms',
      'p99 ms (min–max)',
      'errors',
      'peak RSS MB',
      'event-loop p99 ms',
      'server CPU ms/req',
    ],
    rows,
  );
  const [w1, w3, w4, w6, ceiling] = [by('W1'), by('W3'), by('W4'), by('W6'), by('ceiling')];
  const [expressAlone, withSession] = [by('express'), by('session')];
  const footer = `Server: one process started as npm start does (node ${startFlags().join(' ')}), NODE_ENV=production, LOG_LEVEL=warn. Medians of ${RUNS} runs of ${DURATION_S} s each after a ${WARMUP_S} s warm-up; spread = (max − min) / 2 / median; peak RSS is the highest of the runs. Machine: ${machineLine}.`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const isolation = exportIsolation(by('W5-alone'), by('W5'));
  const isolationGoals = isolation
    ? [
        `- W5 another user's paced GET / p99 during 4 full-quota exports / alone: **${fmt(isolation.p99OverAlone, 2)}×** (goal ≤ 2×: ${verdict(isolation.p99OverAlone <= 2)}); ` +
          `exports: ${fmt(isolation.exportsPerSec, 1)}/s, p99 ${fmt(isolation.exportP99Ms)} ms each, ${isolation.exportsFailed} failed; ` +
          `longest event-loop hold during them ${fmt(isolation.eventLoopMaxMs, 1)} ms (alone ${fmt(isolation.eventLoopMaxAloneMs, 1)} ms)`,
        `- W5 peak server RSS during the exports: **${fmt(isolation.peakRssMb)} MB** (goal < 200 MB: ${verdict(isolation.peakRssMb < 200)})`,
      ]
    : [];
  if (!w1 || !w3 || !w4 || !ceiling) {
    const goals = isolationGoals.length ? ['', ...isolationGoals] : [];
    return { markdown: [table, ...goals, '', footer].join('\n'), ratios: isolation && { isolation } };
  }
  const storm = w3.runs.map((r) => r.logins!);
  const ratios = {
    w1OfCeiling: w1.reqPerSec.median / ceiling.reqPerSec.median,
    w1OfCeilingByCpu: ceiling.cpuMsPerRequest.median / w1.cpuMsPerRequest.median,
    expressOfCeiling: expressAlone && expressAlone.reqPerSec.median / ceiling.reqPerSec.median,
    sessionOfCeiling: withSession && withSession.reqPerSec.median / ceiling.reqPerSec.median,
    stormP99OverAlone: w3.p99Ms.median / w1.p99Ms.median,
    w4P50OverW1P50: w4.p50Ms.median / w1.p50Ms.median,
    w6P50OverW4P50: w6 && w6.p50Ms.median / w4.p50Ms.median,
    w1PeakRssMb: w1.peakRssMb,
    totalErrors: summaries.reduce((sum, s) => sum + s.errors, 0),
    ...(isolation ? { isolation } : {}),
  };
  const goals = [
    `- W1 / ceiling req/s: **${fmt(ratios.w1OfCeiling * 100, 1)}%** (goal ≥ 25%: ${verdict(ratios.w1OfCeiling >= 0.25)}); ` +
      `by server CPU per request, which a busy machine disturbs less: ceiling ${fmt(ceiling.cpuMsPerRequest.median, 2)} ms / W1 ${fmt(w1.cpuMsPerRequest.median, 2)} ms = ${fmt(ratios.w1OfCeilingByCpu * 100, 1)}%`,
    ...(ratios.expressOfCeiling !== undefined && ratios.sessionOfCeiling !== undefined
      ? [
          `- Where the rest goes, as shares of the ceiling's req/s: Express 5 alone **${fmt(ratios.expressOfCeiling * 100, 1)}%**, ` +
            `with our logging, headers, body parser and session (one store read per request) **${fmt(ratios.sessionOfCeiling * 100, 1)}%**, ` +
            `W1 (four queries, CSRF, flash, a 100-task render) **${fmt(ratios.w1OfCeiling * 100, 1)}%**`,
        ]
      : []),
    `- W1 p99 during the login storm / alone: **${fmt(ratios.stormP99OverAlone, 2)}×** (goal ≤ 2×: ${verdict(ratios.stormP99OverAlone <= 2)}); ` +
      `logins during the storm: ${fmt(summarise(storm.map((l) => l.perSec)).median, 1)}/s, p99 ${fmt(summarise(storm.map((l) => l.p99Ms)).median)} ms, ${storm.reduce((s, l) => s + l.failed, 0)} failed`,
    `- W4 p50 / W1 p50: **${fmt(ratios.w4P50OverW1P50, 2)}×** (goal ≤ 2×: ${verdict(ratios.w4P50OverW1P50 <= 2)})`,
    ...(ratios.w6P50OverW4P50 !== undefined
      ? [
          `- W6 (search) p50 / W4 p50: **${fmt(ratios.w6P50OverW4P50, 2)}×** (a whole-account scan of the folded names)`,
        ]
      : []),
    `- W1 peak server RSS: **${fmt(ratios.w1PeakRssMb)} MB** (goal < 150 MB: ${verdict(ratios.w1PeakRssMb < 150)})`,
    ...isolationGoals,
    `- errors in all workloads: **${ratios.totalErrors}** (goal 0: ${verdict(ratios.totalErrors === 0)})`,
  ];
  const markdown = [table, '', ...goals, '', footer].join('\n');
  return { markdown, ratios };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const machineLine = machine();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gid-bench-'));
  let app: Target | undefined;
  const floors: Target[] = [];
  try {
    log(`seeding ${USERS} users × ${TASKS_PER_USER} tasks into ${dataDir} …`);
    await seedDatabase(dataDir);
    app = await startApp(dataDir);
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
    floors.push(ceiling, expressAlone, withSession);
    const bigPage = await (await big.request('/')).arrayBuffer();
    log(`W1 page ${page.byteLength} bytes, W4 page ${bigPage.byteLength} bytes`);

    const get = (browser: HttpClient, base: string, path = '/'): autocannon.Options => ({
      url: `${base}${path}`,
      connections: LIST_CONNECTIONS,
      headers: { ...FORWARDED, cookie: browser.cookieHeader },
    });
    const appTarget = app;
    /** GET / against one server, 50 connections, with the W1 user's cookie unless told. */
    const listing = (key: string, label: string, target: Target, browser = list, path = '/'): Workload => ({
      key,
      label,
      target: () => target,
      expectStatus: 200,
      options: () => get(browser, target.baseUrl, path),
    });
    /** W1's GET / at a steady, light rate: latency as one user sees it, not throughput. */
    const paced = (key: string, label: string): Workload => ({
      ...listing(key, label, appTarget),
      options: () => ({
        ...get(list, appTarget.baseUrl),
        connections: PACED_CONNECTIONS,
        overallRate: PACED_RATE,
      }),
    });
    const workloads: Workload[] = [
      listing('ceiling', 'ceiling: bare node:http, W1 bytes', ceiling),
      listing('express', 'Express 5 alone, W1 bytes', expressAlone),
      listing('session', 'Express 5 + our middleware to the session, W1 bytes', withSession),
      listing('W1', 'W1 list (50 open + 50 done)', appTarget),
      {
        ...listing('W3', 'W3 W1 during 20-login storm', appTarget),
        alongside: async (baseUrl, seconds) => ({ logins: await loginStorm(baseUrl, seconds) }),
      },
      listing('W4', 'W4 10,000-task account', appTarget, big),
      paced('W5-alone', `W5 W1's GET / paced at ${PACED_RATE}/s, alone`),
      {
        ...paced('W5', `W5 the same during 4 full-quota JSON exports`),
        alongside: async (_baseUrl, seconds) => ({ exports: await exportStorm(exporters, seconds) }),
      },
      // A search that scans the whole account: 1,111 of its 10,000 names contain "task 9".
      listing(
        'W6',
        'W6 search in the 10,000-task account',
        appTarget,
        big,
        `/?q=${encodeURIComponent(SEARCH)}`,
      ),
      {
        key: 'W2',
        label: 'W2 add (POST /, CSRF)',
        target: () => appTarget,
        expectStatus: 303,
        options: () => ({
          url: `${appTarget.baseUrl}/`,
          connections: ADD_CONNECTIONS,
          method: 'POST',
          headers: {
            ...FORWARDED,
            cookie: add.cookieHeader,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: addCsrf, task: 'Benchmark task' }).toString(),
          // A 303 to /login (a lost session) would look like success by status alone.
          expectBody: 'See Other. Redirecting to /',
        }),
      },
    ];

    const only = process.env.BENCH_ONLY?.split(',');
    const selected = workloads.filter((w) => !only || only.includes(w.key));
    const runs = new Map<string, RunFigures[]>(selected.map((w) => [w.key, []]));
    for (let run = 1; run <= RUNS; run++) {
      for (const workload of selected) {
        const figures = await runOnce(workload);
        runs.get(workload.key)!.push(figures);
        log(
          `run ${run}/${RUNS} ${workload.key}: ${fmt(figures.reqPerSec)} req/s, p50 ${figures.p50Ms} ms, ` +
            `p99 ${figures.p99Ms} ms, errors ${figures.errors}, RSS ${fmt(figures.peakRssMb)} MB, ` +
            `event loop p99 ${figures.eventLoopP99Ms} ms (max ${figures.eventLoopMaxMs}), CPU ${fmt(figures.cpuMsPerRequest, 2)} ms/req` +
            (figures.heapAtEndMb
              ? `, V8 heap ${figures.heapAtEndMb.used}/${figures.heapAtEndMb.total} MB used/reserved, external ${figures.heapAtEndMb.external} MB`
              : '') +
            (figures.logins ? `, logins ${figures.logins.count} (${figures.logins.failed} failed)` : '') +
            (figures.exports
              ? `, exports ${figures.exports.count} (${figures.exports.failed} failed, p99 ${figures.exports.p99Ms} ms)`
              : ''),
        );
      }
    }
    const order = ['W1', 'W2', 'W3', 'W4', 'W5-alone', 'W5', 'W6', 'session', 'express', 'ceiling'].filter(
      (key) => runs.has(key),
    );
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
          listConnections: LIST_CONNECTIONS,
          addConnections: ADD_CONNECTIONS,
          users: USERS,
          tasksPerUser: TASKS_PER_USER,
          bigAccountTasks: BIG_ACCOUNT_TASKS,
          server: { nodeFlags: startFlags(), NODE_ENV: 'production', LOG_LEVEL: 'warn', BCRYPT_ROUNDS: 12 },
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
    for (const floor of floors) await stop(floor);
    if (app) await stop(app);
    if (process.env.BENCH_KEEP !== '1') fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
