// One source of truth for every limit: schemas, views (maxlength) and tests import these.
export const TASK_NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX_BYTES = 72; // bcrypt ignores everything after 72 bytes: reject, never truncate
/** The longest password field any form reads (a longer one is refused before bcrypt sees it). */
export const PASSWORD_INPUT_MAX = 1024;
export const BODY_LIMIT = '16kb';
export const TASKS_PAGE_SIZE = 50;
export const IMPORT_MAX_BYTES = 512 * 1024; // an import file: about 2,500 tasks of 200 characters
export const IMPORT_MAX_ROWS = 5000;
/** The most tasks one account may hold, unless MAX_TASKS_PER_USER says otherwise (see config.ts). */
export const MAX_TASKS_PER_USER_DEFAULT = 10_000;
/** Imports one user may run per IMPORT_WINDOW_MS (each is up to IMPORT_MAX_ROWS inserts in one transaction). */
export const IMPORTS_PER_WINDOW = 10;
export const IMPORT_WINDOW_MS = 60 * 60 * 1000;
/** Tasks an export reads per query and writes per chunk: it never holds more of the list than this. */
export const EXPORT_PAGE_ROWS = 250;
