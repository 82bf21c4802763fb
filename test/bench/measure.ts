import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/paths';

// Measurement helpers for the benchmark: no I/O beyond /proc, so they can be unit-tested.

/** Resident set size of one process, in bytes, from /proc/<pid>/status (undefined once it is gone). */
export function readRssBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, in milliseconds, from /proc/<pid>/stat. */
export function readCpuMs(pid: number, ticksPerSecond = 100): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The pid and every descendant (cluster workers), from /proc/<pid>/task/<tid>/children. */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) {
    const current = all[i]!;
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${current}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        const children = fs.readFileSync(`/proc/${current}/task/${tid}/children`, 'utf8').trim();
        if (children) all.push(...children.split(/\s+/).map(Number));
      } catch {
        // the thread ended meanwhile
      }
    }
  }
  return all;
}

/** Samples the RSS of a process tree while a workload runs; stop() gives the peak of the sum. */
export function sampleRss(
  pid: number,
  everyMs = 100,
): { stop(): number; peakPerProcess(): Map<number, number> } {
  let peak = 0;
  const perProcess = new Map<number, number>();
  const sample = () => {
    let total = 0;
    for (const p of processTree(pid)) {
      const rss = readRssBytes(p) ?? 0;
      total += rss;
      perProcess.set(p, Math.max(perProcess.get(p) ?? 0, rss));
    }
    peak = Math.max(peak, total);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
    /** The highest RSS each process of the tree reached, by pid. */
    peakPerProcess: () => perProcess,
  };
}

export interface ProbeLine {
  pid: number;
  eventLoopDelayP50Ms: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  /** Milliseconds spent in garbage collection since the last probe. */
  gcMs?: number;
  /** process.memoryUsage() at the signal, in MB. */
  rssMb?: number;
  heapTotalMb?: number;
  heapUsedMb?: number;
  externalMb?: number;
}

/** The bench-probe lines (see probe.ts) in a chunk of server output. */
export function parseProbeLines(output: string): ProbeLine[] {
  const lines: ProbeLine[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{"benchProbe"')) continue;
    try {
      lines.push((JSON.parse(line) as { benchProbe: ProbeLine }).benchProbe);
    } catch {
      // a line cut in half by a pipe read; the next sample has it whole
    }
  }
  return lines;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median with the spread of the runs: (max - min) / median, as a fraction. */
export function summarise(values: number[]): { median: number; min: number; max: number; spread: number } {
  const mid = median(values);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { median: mid, min, max, spread: mid ? (max - min) / mid : 0 };
}

export function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * How `npm start` runs the server: the environment it sets before `exec node` (such as
 * MALLOC_ARENA_MAX) and the node flags. package.json's start script is their one home.
 */
export function startCommand(root = projectRoot): { env: Record<string, string>; flags: string[] } {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const match = /(?:^|&&\s*)((?:[A-Z_]+=\S+\s+)*)exec node ((?:--\S+\s+)*)dist\/src\/server\.js$/.exec(
    pkg.scripts.start ?? '',
  );
  if (!match)
    throw new Error(
      'package.json\'s start script no longer ends in "[NAME=value …] exec node [flags] dist/src/server.js"',
    );
  const words = (text: string) => text.split(/\s+/).filter(Boolean);
  const env = Object.fromEntries(words(match[1]!).map((word) => word.split('=', 2) as [string, string]));
  return { env, flags: words(match[2]!) };
}

/** The node flags `npm start` gives the server. */
export function startFlags(root = projectRoot): string[] {
  return startCommand(root).flags;
}
