import type { Logger } from '../logger';

// Set on every request by middleware/request-log.ts.
declare module 'http' {
  interface IncomingMessage {
    /** A number for this request, unique within the process, for matching log lines. */
    id: number;
    /** The app's logger with this request's id (made on first use; read-only). */
    readonly log: Logger;
  }
}
