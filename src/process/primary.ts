import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { isWorkerMessage, type PrimaryMessage } from './messages';
import { SHUTDOWN_DEADLINE_MS } from './serve';

/** A worker that served at least this long before dying counts as healthy: its replacement starts at once. */
export const STABLE_AFTER_MS = 10_000;
const MAX_REPLACEMENT_DELAY_MS = 30_000;
/** The primary's own backstop: the workers' deadline, plus a moment for them to report their exit. */
const PRIMARY_DEADLINE_MS = SHUTDOWN_DEADLINE_MS + 1_000;

/**
 * How long to wait before replacing a worker, given how many workers in its place died young
 * (within STABLE_AFTER_MS) in a row, this one included: the first at once, then 1 s, 2 s, 4 s …
 * up to 30 s, so a worker that cannot start (a full disk, a broken file) does not spin.
 */
export function replacementDelayMs(youngDeathsInARow: number): number {
  if (youngDeathsInARow <= 1) return 0;
  return Math.min(MAX_REPLACEMENT_DELAY_MS, 1_000 * 2 ** (youngDeathsInARow - 2));
}

/** One of the N places a worker serves in; a replacement takes the place of the worker that died. */
interface Slot {
  worker: Worker | undefined;
  startedAt: number;
  youngDeaths: number;
  replacement: NodeJS.Timeout | undefined;
}

/**
 * The cluster primary: serves nothing itself. It starts config.webConcurrency workers (the
 * storage is already prepared), says where they listen once all of them do, replaces a worker
 * that dies, and on SIGTERM or SIGINT has every worker drain, then exits 0 if all of them
 * stopped cleanly. A worker that fails before the first start is complete stops everything
 * with one line (e.g. the port is taken) and exit code 1.
 */
export function runPrimary(config: Config, logger: Logger): void {
  const slots: Slot[] = Array.from({ length: config.webConcurrency }, () => ({
    worker: undefined,
    startedAt: 0,
    youngDeaths: 0,
    replacement: undefined,
  }));
  let state: 'starting' | 'serving' | 'stopping' = 'starting';
  let listening = 0;
  let failed = false;
  /** A worker could not start: its one line is printed; the rest goes quietly. */
  let startFailed = false;
  const stoppedAccepting = new Set<Worker>();
  let saidStoppedAccepting = false;

  // Every worker accepts from the one listening socket itself, instead of the primary accepting
  // and handing each connection over (round-robin, Node's default on Linux): a connection handed
  // to a worker that has just died is never answered nor closed, while one waiting in the
  // kernel's queue is simply accepted by a worker that is alive.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  for (const slot of slots) start(slot);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  function start(slot: Slot): void {
    slot.replacement = undefined;
    const worker = cluster.fork();
    slot.worker = worker;
    slot.startedAt = Date.now();
    let reason: string | undefined;
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'listening') listened(message.port);
      else if (message.type === 'startup-failed') reason = message.reason;
      else {
        stoppedAccepting.add(worker);
        sayIfStoppedAccepting();
      }
    });
    // Its messages may still be on their way when 'exit' comes; 'disconnect' follows the last one.
    worker.once('exit', (code: number | null, signal: string | null) => {
      const gone = () => ended(slot, worker, code, signal, reason);
      if (worker.isConnected()) worker.once('disconnect', gone);
      else gone();
    });
  }

  /** Said once, when the last of the first workers listens. */
  function listened(port: number): void {
    if (state !== 'starting' || ++listening < slots.length) return;
    state = 'serving';
    logger.info(
      { port, host: config.host, env: config.env, workers: slots.length },
      `Get It Done! is listening on http://${config.host}:${port} (${slots.length} workers)`,
    );
  }

  function ended(slot: Slot, worker: Worker, code: number | null, signal: string | null, reason?: string) {
    slot.worker = undefined;
    const how = signal ?? `exit code ${code}`;
    if (state === 'starting') {
      // Nothing has been served yet: a worker that cannot start now will not start on a retry.
      console.error(
        `Get It Done! cannot start: ${reason ?? `worker ${worker.id} stopped before listening (${how}).`}`,
      );
      failed = startFailed = true;
      stop();
    } else if (state === 'serving') {
      const lived = Date.now() - slot.startedAt;
      slot.youngDeaths = lived < STABLE_AFTER_MS ? slot.youngDeaths + 1 : 1;
      const delay = replacementDelayMs(slot.youngDeaths);
      logger.error(
        {
          worker: worker.id,
          workerPid: worker.process.pid,
          code,
          signal,
          reason,
          livedMs: lived,
          replaceInMs: delay,
        },
        `worker ${worker.id} stopped unexpectedly (${how}); starting a replacement${delay ? ` in ${delay} ms` : ''}`,
      );
      slot.replacement = setTimeout(() => start(slot), delay);
    } else {
      // Asked to stop: a clean drain exits 0; a worker that had not installed its handlers yet dies of the signal.
      if (!startFailed && !(code === 0 || signal === 'SIGTERM' || signal === 'SIGINT')) {
        failed = true;
        logger.error(
          { worker: worker.id, code, signal },
          `worker ${worker.id} did not stop cleanly (${how})`,
        );
      }
      sayIfStoppedAccepting();
      if (slots.every((s) => !s.worker)) {
        if (!startFailed) logger.info(failed ? 'shutdown finished with errors' : 'shutdown complete');
        logger.flush();
        process.exit(failed ? 1 : 0);
      }
    }
  }

  function stop(signal?: string): void {
    if (state === 'stopping') return;
    state = 'stopping';
    const running = slots.flatMap((slot) => {
      clearTimeout(slot.replacement);
      return slot.worker ? [slot.worker] : [];
    });
    if (signal)
      logger.info(
        { signal, workers: running.length },
        'shutting down: workers finish their in-flight requests',
      );
    for (const worker of running) worker.process.kill('SIGTERM');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; killing the remaining workers');
      for (const slot of slots) slot.worker?.process.kill('SIGKILL');
      logger.flush();
      process.exit(1);
    }, PRIMARY_DEADLINE_MS);
    deadline.unref();
    if (running.length === 0) {
      if (!startFailed) logger.info('shutdown complete');
      logger.flush();
      process.exit(failed ? 1 : 0);
    }
  }

  /**
   * Once every running worker has let go of the listening socket, it is closed (the cluster
   * module closes the primary's copy with the last worker's): workers may now tell their
   * keep-alive clients to go, as a new connection is refused rather than left in a queue.
   */
  function sayIfStoppedAccepting(): void {
    if (state !== 'stopping') return;
    if (!slots.every((slot) => !slot.worker || stoppedAccepting.has(slot.worker))) return;
    if (!saidStoppedAccepting && !startFailed) logger.info('stopped accepting new connections');
    saidStoppedAccepting = true;
    const closed: PrimaryMessage = { type: 'listener-closed' };
    for (const worker of stoppedAccepting) if (worker.isConnected()) worker.send(closed);
    stoppedAccepting.clear(); // each is told once; no worker starts while stopping
  }
}
