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
/** GET /healthz answers 503 after this long at most, whatever the database does (balancers wait ~2 s). */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;
