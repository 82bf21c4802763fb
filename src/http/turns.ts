/**
 * Jobs that take turns: one runs at a time, the others wait in the order they came, and each
 * next one starts on a later turn of the event loop (setImmediate), after the I/O that is waiting
 * has been handled. For bulk work cut into short jobs (an export's pages): however many exports
 * run at once, other requests wait for at most one of their pages between two of their own steps.
 */
export interface Turns {
  run<T>(job: () => Promise<T>): Promise<T>;
}

export function createTurns(): Turns {
  let busy = false;
  const waiting: (() => void)[] = [];
  return {
    async run(job) {
      if (busy) await new Promise<void>((resolve) => waiting.push(resolve));
      busy = true;
      try {
        return await job();
      } finally {
        // The next job starts on a later turn; it stays busy until then, so none can jump the queue.
        const next = waiting.shift();
        if (next) setImmediate(next);
        else busy = false;
      }
    },
  };
}
