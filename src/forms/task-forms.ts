import { z } from 'zod';
import { TASK_NAME_MAX } from '../limits';
import { messages } from '../messages';

// Names are trimmed and one line: control characters are refused (NUL among them, which
// PostgreSQL cannot store).
export const taskName = z
  .string({ error: messages.taskBlank })
  .trim()
  .min(1, messages.taskBlank)
  .max(TASK_NAME_MAX, messages.taskTooLong)
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'Task names cannot contain control characters.');

export const addTaskForm = z.object({ task: taskName });
export const editTaskForm = z.object({ name: taskName });

const MAX_ID = 2_147_483_647;

/** Parses an id from a URL or a form: digits only, in range; anything else is "no such task". */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}
