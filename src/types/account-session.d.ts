import 'express-session';
import type { RowRefusal } from '../task-files';

declare module 'express-session' {
  interface SessionData {
    /** The outcome of the last import, shown once on the account page. */
    importReport: { added: number; refused: RowRefusal[]; moreRefused: number };
  }
}
