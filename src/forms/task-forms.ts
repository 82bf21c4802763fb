import { z } from 'zod';
import { TASK_NAME_MAX } from '../limits';
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

export const addTaskForm = z.object({ task: taskName });
export const editTaskForm = z.object({ name: taskName });

const MAX_ID = 2_147_483_647;

/** Parses an id from a URL or a form: digits only, in range; anything else is "no such task". */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}
