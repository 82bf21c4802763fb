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
    flash: Flash[];
    /** The last deleted task, kept so the user can undo the delete. */
    deletedTask: { row: TaskRow; at: number };
    /** The outcome of the last import, shown once on the account page. */
    importReport: { added: number; refused: RowRefusal[]; moreRefused: number };
    /** Set by csrf-sync. */
    csrfToken: string;
  }
}
