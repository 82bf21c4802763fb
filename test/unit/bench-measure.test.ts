import { afterAll, describe, expect, it } from 'vitest';
import {
  markdownTable,
  median,
  parseProbeLines,
  processTree,
  readCpuMs,
  readRssBytes,
  sampleRss,
  startCommand,
  startFlags,
  summarise,
} from '../bench/measure';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

describe('the benchmark’s measurement helpers', () => {
  it('reads this process’s resident memory from /proc', () => {
    const rss = readRssBytes(process.pid);
    expect(rss).toBeGreaterThan(1024 * 1024);
    expect(readRssBytes(2 ** 30)).toBeUndefined();
    expect(processTree(process.pid)[0]).toBe(process.pid);
    const sampler = sampleRss(process.pid);
    expect(sampler.stop()).toBeGreaterThan(1024 * 1024);
    expect(sampler.peakPerProcess().get(process.pid)).toBeGreaterThan(1024 * 1024);
    expect(readCpuMs(process.pid)).toBeGreaterThan(0);
  });

  it('takes medians and reports the spread of the runs', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(summarise([90, 100, 110])).toEqual({ median: 100, min: 90, max: 110, spread: 0.2 });
  });

  it('finds the server’s event-loop probe lines among its logs', () => {
    const probe = { pid: 7, eventLoopDelayP50Ms: 1, eventLoopDelayP99Ms: 12.5, eventLoopDelayMaxMs: 30 };
    const output = `{"level":40,"msg":"x"}\n${JSON.stringify({ benchProbe: probe })}\n{"benchProbe":{"pid"`;
    expect(parseProbeLines(output)).toEqual([probe]);
  });

  it('prints a markdown table with aligned columns', () => {
    expect(markdownTable(['a', 'bb'], [['xxx', 'y']])).toBe('| a   | bb |\n| --- | -- |\n| xxx | y  |');
  });
});

describe('startFlags', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const withStart = (start: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gid-flags-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
    return dir;
  };

  it('starts the bench server with the node flags of npm start', () => {
    expect(startFlags(withStart('npm run build && exec node --a=1 --b dist/src/server.js'))).toEqual([
      '--a=1',
      '--b',
    ]);
    expect(startFlags(withStart('npm run build && exec node dist/src/server.js'))).toEqual([]);
    expect(startFlags().every((flag) => flag.startsWith('--'))).toBe(true);
  });

  it('passes on the environment npm start sets before exec node', () => {
    expect(
      startCommand(withStart('npm run build && MALLOC_ARENA_MAX=2 A_B=x exec node --a=1 dist/src/server.js')),
    ).toEqual({ env: { MALLOC_ARENA_MAX: '2', A_B: 'x' }, flags: ['--a=1'] });
    expect(startCommand(withStart('npm run build && exec node dist/src/server.js')).env).toEqual({});
  });

  it('refuses a start script it cannot read, instead of benchmarking something else', () => {
    expect(() => startFlags(withStart('node other.js'))).toThrow(/start script/);
  });
});
