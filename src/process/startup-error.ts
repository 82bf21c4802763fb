import { ConfigError } from '../config';

/** A reason not to start that the operator can fix, told in one sentence (no stack trace). */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** The one line printed for a failed start: a sentence for known causes, the error otherwise. */
export function startupFailureLine(err: unknown): string {
  if (err instanceof ConfigError || err instanceof StartupError)
    return `Get It Done! cannot start: ${err.message}`;
  return `Get It Done! failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}
