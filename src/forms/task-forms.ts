import { z } from 'zod';
import { isIsoDate } from '../dates/calendar';
import { DUE_DATE_MAX, DUE_DATE_MIN, SEARCH_MAX, TASK_NAME_MAX } from '../limits';
import { taskMessages } from '../messages/tasks';

/** C0 and C1 controls (NUL among them, which PostgreSQL cannot store), DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Bidi embeddings, overrides and isolates: they make a name read differently from what it is. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
/** Nothing a reader can see: white space and the invisible format characters. */
/* eslint-disable no-misleading-character-class -- the class lists lone combining marks on purpose */
const INVISIBLE =
  /^[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u2064\u3164\ufe00-\ufe0f\ufeff\uffa0]*$/u;
/* eslint-enable no-misleading-character-class */

// Names are trimmed, one line, and something a person can read.
export const taskName = z
  .string({ error: taskMessages.taskBlank })
  .trim()
  .min(1, taskMessages.taskBlank)
  .max(TASK_NAME_MAX, taskMessages.taskTooLong)
  .refine((name) => !CONTROL.test(name), taskMessages.taskControlCharacters)
  .refine((name) => !BIDI_CONTROL.test(name), taskMessages.taskBidiControls)
  .refine((name) => !INVISIBLE.test(name), taskMessages.taskInvisible);

/**
 * A due date as <input type="date"> sends it: YYYY-MM-DD, a real day of the calendar, within
 * the limits. Empty means "no date" (null).
 */
export const dueDate = z
  .string({ error: taskMessages.dueInvalid })
  .trim()
  .refine((text) => text === '' || isIsoDate(text), taskMessages.dueInvalid)
  .refine((text) => text === '' || (text >= DUE_DATE_MIN && text <= DUE_DATE_MAX), taskMessages.dueOutOfRange)
  .transform((text) => (text === '' ? null : text));

// Adding: no due field is no date. Editing: no due field leaves the date as it is (undefined),
// an empty one clears it (null).
export const addTaskForm = z.object({
  task: taskName,
  due: dueDate.optional().transform((due) => due ?? null),
});
export const editTaskForm = z.object({ name: taskName, due: dueDate.optional() });

/** What to search for (GET /?q=): trimmed; no task name holds a control character, nor may this. */
const searchField = z
  .string()
  .trim()
  .max(SEARCH_MAX, taskMessages.searchTooLong)
  .refine((text) => !CONTROL.test(text), taskMessages.searchControlCharacters);

/** The search in a URL: '' for none (or for a repeated ?q=), or the message when it cannot be used. */
export function parseSearch(value: unknown): { search: string; error?: string } {
  if (typeof value !== 'string') return { search: '' };
  const result = searchField.safeParse(value);
  return result.success ? { search: result.data } : { search: '', error: result.error.issues[0]?.message };
}

/**
 * POST /tasks/:id/move: `direction` (up or down) or `before` (a task's id, or empty for the end).
 * A `before` that is not an id names no task of the user's: the route answers 404 for it.
 */
export const moveTaskForm = z
  .object({
    direction: z.enum(['up', 'down'], { error: taskMessages.moveDirection }).optional(),
    before: z.string({ error: taskMessages.moveDirection }).optional(),
  })
  .refine((form) => form.direction !== undefined || form.before !== undefined, {
    message: taskMessages.moveDirection,
    path: ['direction'],
  })
  .transform((form): { direction: 'up' | 'down' } | { before: string | null } =>
    form.direction ? { direction: form.direction } : { before: form.before || null },
  );

const MAX_ID = 2_147_483_647;

/** Parses an id from a URL or a form: digits only, in range; anything else is "no such task". */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}
