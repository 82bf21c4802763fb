// One source of truth for every limit: schemas, views (maxlength) and tests import these.
export const TASK_NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const PASSWORD_MIN = 8;
/** The longest password, in characters of any script (bcrypt gets a fixed-size pre-hash of it). */
export const PASSWORD_INPUT_MAX = 1024;
/**
 * The bcrypt work a password check may find queued ahead of it (the hashes waiting times the
 * time one takes); more is a fast 503 instead. Cost-aware: at cost 12 (about 250 ms a hash, two
 * at once) about 24 may wait; at the tests' cost 4, thousands.
 */
export const PASSWORD_HASH_MAX_WAIT_MS = 3000;
/**
 * Failed logins for one email from all addresses together beyond LOGIN_MAX_FAILURES_PER_EMAIL
 * do not block (that would lock the owner out): each further attempt for that email waits,
 * from this long, doubling, up to LOGIN_SLOWDOWN_MAX_MS.
 */
export const LOGIN_SLOWDOWN_BASE_MS = 250;
export const LOGIN_SLOWDOWN_MAX_MS = 8000;
export const BODY_LIMIT = '16kb';
export const TASKS_PAGE_SIZE = 50;
export const IMPORT_MAX_BYTES = 512 * 1024; // an import file: about 2,500 tasks of 200 characters
export const IMPORT_MAX_ROWS = 5000;
/** The due dates a task may have (YYYY-MM-DD, compared as text). */
export const DUE_DATE_MIN = '1900-01-01';
export const DUE_DATE_MAX = '9999-12-31';
/** The longest search (GET /?q=): no longer than the longest name it could find. */
export const SEARCH_MAX = TASK_NAME_MAX;
/** How long a password-reset link works (the email says so: keep the two in step). */
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
/** Reset emails one address may ask for, and one account may receive, per window. */
export const PASSWORD_RESET_REQUESTS_PER_IP = 10;
export const PASSWORD_RESET_REQUESTS_PER_EMAIL = 3;
export const PASSWORD_RESET_WINDOW_MS = 60 * 60 * 1000;
/** GET /healthz answers 503 after this long at most, whatever the database does (balancers wait ~2 s). */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;
/** The most tasks one account may hold, unless MAX_TASKS_PER_USER says otherwise (see config.ts). */
export const MAX_TASKS_PER_USER_DEFAULT = 10_000;
/** Imports one user may run per IMPORT_WINDOW_MS (each is up to IMPORT_MAX_ROWS inserts in one transaction). */
export const IMPORTS_PER_WINDOW = 10;
export const IMPORT_WINDOW_MS = 60 * 60 * 1000;
/** Tasks an export reads per query and writes per chunk: it never holds more of the list than this. */
export const EXPORT_PAGE_ROWS = 250;
/** How long Undo can put back a deleted task, or what Complete all and Clear completed changed. */
export const UNDO_WINDOW_MS = 10 * 60 * 1000;
