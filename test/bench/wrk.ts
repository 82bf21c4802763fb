import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The load generator for the saturating workloads: wrk (Debian's `wrk` package), C and epoll, so
// the generator is not what limits the figures. autocannon measured the same bare node:http server
// at about 4,500 req/s where wrk measures 15,000–17,000 on this kind of machine, which overstated
// every ratio against the ceiling. The paced workloads (a fixed, low rate) stay on autocannon:
// wrk has no rate limit, and at 50 requests per second the generator costs nothing.

export interface LoadRequest {
  url: string;
  connections: number;
  durationS: number;
  threads?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The status a correct answer has; anything else counts as an error. */
  expectStatus: number;
  /** With a 3xx expectStatus: the Location a correct answer has (a 303 to /login is a lost session). */
  expectLocation?: string;
}

export interface LoadResult {
  requests: number;
  durationS: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts, other statuses, and expected statuses with the wrong Location. */
  errors: number;
  statuses: Record<string, number>;
}

// Each thread counts statuses (and wrong Locations) in its own Lua state; done() sums them over
// the threads setup() saw and prints one JSON line. Latency percentiles are wrk's, in µs.
const SCRIPT = `
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  statuses = {}
  wrong_location = 0
  expect_status = tonumber(args[1])
  expect_location = args[2]
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == expect_status and expect_location ~= nil and expect_location ~= "" then
    local location = headers["Location"] or headers["location"]
    if location ~= expect_location then wrong_location = wrong_location + 1 end
  end
end
function done(summary, latency, requests)
  local counts, wrong = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + n end
    wrong = wrong + thread:get("wrong_location")
  end
  local parts = {}
  for status, n in pairs(counts) do table.insert(parts, string.format('"%d":%d', status, n)) end
  local e = summary.errors
  io.write(string.format(
    '\\n{"wrk":{"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"wrongLocation":%d,"statuses":{%s}}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.timeout, wrong, table.concat(parts, ",")))
end
`;

interface WrkLine {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  connect: number;
  read: number;
  write: number;
  timeout: number;
  wrongLocation: number;
  statuses: Record<string, number>;
}

let scriptDir: string | undefined;

function requestScript(request: LoadRequest): string {
  scriptDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gid-wrk-'));
  const file = path.join(scriptDir, `load-${process.hrtime.bigint()}.lua`);
  const lines = [
    `wrk.method = ${JSON.stringify(request.method ?? 'GET')}`,
    ...Object.entries(request.headers ?? {}).map(
      ([name, value]) => `wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`,
    ),
    ...(request.body === undefined ? [] : [`wrk.body = ${JSON.stringify(request.body)}`]),
    SCRIPT,
  ];
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

/** Whether Debian's wrk is on PATH (the bench stops with the install line when it is not). */
export async function wrkAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('wrk', ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', () => resolve(true));
  });
}

export async function runWrk(request: LoadRequest): Promise<LoadResult> {
  const script = requestScript(request);
  const args = [
    `--threads=${request.threads ?? 2}`,
    `--connections=${request.connections}`,
    `--duration=${request.durationS}s`,
    '--timeout=10s',
    `--script=${script}`,
    '--latency',
    request.url,
    '--',
    String(request.expectStatus),
    request.expectLocation ?? '',
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`)),
    );
  });
  fs.rmSync(script, { force: true });
  const line = output.split('\n').find((l) => l.startsWith('{"wrk"'));
  if (!line) throw new Error(`wrk printed no summary:\n${output}`);
  const wrk = (JSON.parse(line) as { wrk: WrkLine }).wrk;
  const unexpected = Object.entries(wrk.statuses)
    .filter(([status]) => Number(status) !== request.expectStatus)
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    requests: wrk.requests,
    durationS: wrk.durationUs / 1e6,
    p50Ms: wrk.p50Us / 1000,
    p99Ms: wrk.p99Us / 1000,
    errors: unexpected + wrk.wrongLocation + wrk.connect + wrk.read + wrk.write + wrk.timeout,
    statuses: wrk.statuses,
  };
}
