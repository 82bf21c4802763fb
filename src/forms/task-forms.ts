import { z } from 'zod';
import { TASK_NAME_MAX } from '../limits';
import { taskMessages } from '../messages/tasks';

// Names are trimmed and one line: control characters are refused (NUL among them, which
// PostgreSQL cannot store).
export const taskName = z
  .string({ error: taskMessages.taskBlank })
  .trim()
  .min(1, taskMessages.taskBlank)
  .max(TASK_NAME_MAX, taskMessages.taskTooLong)
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), taskMessages.taskControlCharacters);

export const addTaskForm = z.object({ task: taskName });
export const editTaskForm = z.object({ name: taskName });

const MAX_ID = 2_147_483_647;

/** Parses an id from a URL or a form: digits only, in range; anything else is "no such task". */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9][0-9]{0,9}$/.test(value)) return undefined;
  const id = Number(value);
  return id <= MAX_ID ? id : undefined;
}
