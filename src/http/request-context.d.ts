import type { Logger } from '../logger';
import type { Notices } from './flash';

// Set on every request by http/request-log.ts (id, log) and http/flash.ts (notices).
declare module 'http' {
  interface IncomingMessage {
    /** A number for this request, unique within the process, for matching log lines. */
    id: number;
    /** The app's logger with this request's id (made on first use; read-only). */
    readonly log: Logger;
    /** Messages for a visitor's next page, kept in a cookie (see flash()). */
    notices: Notices;
  }
}
