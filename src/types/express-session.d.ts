import 'express-session';
import type { Flash } from '../middleware/flash';
import type { TaskRow } from '../models/tasks';

declare module 'express-session' {
  interface SessionData {
    userId: number;
    /** When this session logged in (ms since epoch). */
    authAt: number;
    flash: Flash[];
    /** The last deleted task, kept so the user can undo the delete. */
    deletedTask: { row: TaskRow; at: number };
    /** Set by csrf-sync. */
    csrfToken: string;
  }
}
