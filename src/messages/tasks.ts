import { TASK_NAME_MAX } from '../limits';
import { countOf, inFigures } from './wording';

// What the task list says: action results, refusals, the counter and the filter names.
export const taskMessages = {
  taskBlank: 'Give the task a name.',
  taskTooLong: `Keep task names to ${TASK_NAME_MAX} characters or fewer.`,
  taskControlCharacters: 'Task names cannot contain control characters.',
  taskBidiControls: 'Task names cannot contain characters that change the direction of the text.',
  taskInvisible: 'Give the task a name people can see: it has only invisible characters.',
  taskAdded: (name: string) => `Added “${name}”.`,
  taskCompleted: (name: string) => `Completed “${name}”. Nice work!`,
  taskReopened: (name: string) => `Reopened “${name}”.`,
  taskRenamed: (name: string) => `Renamed to “${name}”.`,
  taskDeleted: (name: string) => `Deleted “${name}”.`,
  taskRestored: (name: string) => `Restored “${name}”.`,
  completedAll: (count: number) =>
    count === 0 ? 'Nothing left to complete.' : `Completed ${countOf(count, 'task')}.`,
  clearedCompleted: (count: number) =>
    count === 0
      ? 'No completed tasks to clear.'
      : `Cleared ${count} completed ${count === 1 ? 'task' : 'tasks'}.`,
  taskQuotaFull: (max: number) =>
    `Your list holds ${inFigures(max)} tasks, the most an account can have. Delete or clear some to add more.`,
  taskNotFound: 'That task does not exist, or it is not yours.',
  undoExpired: 'That task can no longer be restored.',
  /** The counter above the list. */
  tasksLeft: (counts: { open: number; completed: number }) =>
    counts.open > 0
      ? `${countOf(counts.open, 'task')} left`
      : counts.completed > 0
        ? 'All done. Nothing left to do!'
        : 'Nothing left to do',
} as const;

/** The list's filters, in the order the page shows them, with their names on the page. */
export const filterLabels = { all: 'All', open: 'Open', completed: 'Completed' } as const;
