import type { Logger } from '../logger';
import { loggableError } from './error-pages';

/**
 * Work a route starts after answering, so its response neither waits for it nor reveals, by
 * its timing, what the work found. A failure is logged, never thrown: the user has their
 * answer already.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(label: string, work: () => Promise<void>): void {
    const running = Promise.resolve()
      .then(work)
      .catch((err: unknown) =>
        this.logger.error({ task: label, err: loggableError(err) }, 'background work failed'),
      )
      .finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  /** Resolves once everything started so far has finished (tests wait on it; so could a shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
