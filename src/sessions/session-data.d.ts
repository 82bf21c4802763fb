import 'express-session';
import type { Flash } from '../http/flash';
import type { RowRefusal } from '../import-export/rows';
import type { TaskRow } from '../models/tasks';

// Everything a session can hold, in one declaration.
declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** When this session logged in (ms since epoch). */
    authAt: number;
    /** The browser and system, as the account page names them ("Firefox on Linux"). */
    device: string;
    /** The client's address when this session was last seen (req.ip: TRUST_PROXY applies). */
    ip: string;
    /** When this session was last seen (ms since epoch), kept to within an hour (sessions/last-seen.ts). */
    seenAt: number;
    flash: Flash[];
    /** The last deleted task, kept so the user can undo the delete. */
    deletedTask: { row: TaskRow; at: number };
    /** The outcome of the last import, shown once on the account page. */
    importReport: { added: number; refused: RowRefusal[]; moreRefused: number };
    /** Set by csrf-sync. */
    csrfToken: string;
  }
}
