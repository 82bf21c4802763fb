import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/**
 * Preloaded by `npm run bench` into every server it starts (`node --require probe.js …`), so the
 * app's own entry carries no bench code. For the bench only: with BENCH_PROBE=1 the process measures its event-loop delay and its time in GC and,
 * on SIGUSR2, writes one JSON line with the percentiles since the last signal to stdout, then
 * starts over. No endpoint, nothing on the network; without BENCH_PROBE=1 it does nothing.
 */
export function installBenchProbe(env: NodeJS.ProcessEnv = process.env): void {
  if (env.BENCH_PROBE !== '1') return;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  // Time spent in garbage collection since the last signal (every kind: scavenges and full GCs).
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  const ms = (ns: number) => (Number.isFinite(ns) ? Math.round(ns / 1e4) / 100 : 0);
  process.on('SIGUSR2', () => {
    const benchProbe = {
      pid: process.pid,
      eventLoopDelayP50Ms: ms(histogram.percentile(50)),
      eventLoopDelayP99Ms: ms(histogram.percentile(99)),
      eventLoopDelayMaxMs: ms(histogram.max),
      gcMs: Math.round(gcMs * 10) / 10,
      // Where the memory is: V8's heap (reserved / in use) and buffers outside it, in MB.
      ...Object.fromEntries(
        Object.entries(process.memoryUsage()).map(([key, bytes]) => [
          `${key}Mb`,
          Math.round(bytes / 1048576),
        ]),
      ),
    };
    histogram.reset();
    gcMs = 0;
    process.stdout.write(`${JSON.stringify({ benchProbe })}\n`);
  });
}

installBenchProbe();
