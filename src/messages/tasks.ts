import { TASK_NAME_MAX } from '../limits';
import { dateWords } from './dates';
import { countOf, inFigures } from './wording';

/** "Today" starts a label, "today" sits in a sentence; dates keep their capitals. */
const inSentence = (words: string) =>
  words === dateWords.today || words === dateWords.tomorrow || words === dateWords.yesterday
    ? words.toLowerCase()
    : words;

// What the task list says: action results, refusals, the counter and the filter names.
export const taskMessages = {
  taskBlank: 'Give the task a name.',
  taskTooLong: `Keep task names to ${TASK_NAME_MAX} characters or fewer.`,
  taskControlCharacters: 'Task names cannot contain control characters.',
  taskBidiControls: 'Task names cannot contain characters that change the direction of the text.',
  taskInvisible: 'Give the task a name people can see: it has only invisible characters.',
  dueInvalid: 'Enter the due date as a real date: year, month, day, like 2026-12-04.',
  dueOutOfRange: 'Choose a due date between the years 1900 and 9999.',
  taskAdded: (name: string, due?: string | null) =>
    `Added “${name}”${due ? `, due ${inSentence(due)}` : ''}.`,
  taskCompleted: (name: string) => `Completed “${name}”. Nice work!`,
  taskReopened: (name: string) => `Reopened “${name}”.`,
  /** The name changed (and perhaps the date: `due` is its words, null for none, undefined if unchanged). */
  taskRenamed: (name: string, due?: string | null) =>
    `Renamed to “${name}”${due === undefined ? '' : due === null ? ', no due date' : `, due ${inSentence(due)}`}.`,
  taskDueChanged: (name: string, due: string | null) =>
    due === null ? `“${name}” has no due date now.` : `“${name}” is due ${inSentence(due)}.`,
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
  reopenedAll: (count: number) =>
    count === 0
      ? 'Nothing to reopen: those tasks have changed since.'
      : `Reopened ${countOf(count, 'task')}.`,
  restoredAll: (count: number) =>
    count === 0 ? 'Nothing to restore: those tasks are back already.' : `Restored ${countOf(count, 'task')}.`,
  bulkUndoExpired: 'That can no longer be undone.',
  taskNotFound: 'That task does not exist, or it is not yours.',
  undoExpired: 'That task can no longer be restored.',
  searchTooLong: `Search for ${TASK_NAME_MAX} characters or fewer: no task name is longer.`,
  searchControlCharacters: 'Search for text without control characters: no task name has them.',
  /** "2 tasks match “milk”", above the results. */
  searchMatches: (count: number, search: string) =>
    count === 0
      ? `No tasks match “${search}”.`
      : `${countOf(count, 'task')} ${count === 1 ? 'matches' : 'match'} “${search}”.`,
  clearSearch: 'Clear the search',
  moveDirection: 'Say where to move the task: direction up or down, or before another task.',
  /** After a move: where the task is now, in its list. */
  taskMoved: (name: string, rank: number, of: number) => `Moved “${name}” to position ${rank} of ${of}.`,
  taskNotMoved: (name: string, rank: number, of: number) =>
    rank === 1
      ? `“${name}” is already first.`
      : rank === of
        ? `“${name}” is already last.`
        : `“${name}” stays at position ${rank} of ${of}.`,
  moveUp: 'Move up',
  moveDown: 'Move down',
  completeAll: 'Complete all',
  clearCompleted: 'Clear completed',
  /** Each kind of section: its heading, what it says when empty, its pager's links. */
  sections: {
    open: {
      title: 'Open',
      empty: 'No open tasks. Enjoy the moment.',
      next: 'Show the next open tasks',
      previous: 'Show the previous open tasks',
    },
    completed: {
      title: 'Completed',
      empty: 'Nothing completed yet.',
      next: 'Show the next completed tasks',
      previous: 'Show the previous completed tasks',
    },
    today: {
      title: 'Due today or overdue',
      empty: 'Nothing is due today. Enjoy the moment.',
      next: 'Show the next tasks due',
      previous: 'Show the previous tasks due',
    },
    upcoming: {
      title: 'Upcoming, soonest first',
      empty: 'No open task has a due date. Add one with the date field above.',
      next: 'Show the next upcoming tasks',
      previous: 'Show the previous upcoming tasks',
    },
  },
  /**
   * Where a page of a long list is, "51–100 of 131", in parts: the view puts an &ndash; between
   * the first two, so the page stays Latin-1 (see views/partials/task-items.ejs).
   */
  pageRange: (first: number, last: number, total: number) => ({
    first: first.toLocaleString('en'),
    last: last.toLocaleString('en'),
    rest: `of ${total.toLocaleString('en')}`,
  }),
  /** The counter above the list. */
  tasksLeft: (counts: { open: number; completed: number }) =>
    counts.open > 0
      ? `${countOf(counts.open, 'task')} left`
      : counts.completed > 0
        ? 'All done. Nothing left to do!'
        : 'Nothing left to do',
} as const;

/** The list's filters, in the order the page shows them, with their names on the page. */
export const filterLabels = {
  all: 'All',
  open: 'Open',
  completed: 'Completed',
  today: 'Today',
  upcoming: 'Upcoming',
} as const;
