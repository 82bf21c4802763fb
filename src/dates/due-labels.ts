import { dateWords } from '../messages/dates';
import { addDays, dayOfWeek, parseIsoDate, type IsoDate } from './calendar';

/** A due date as a task row shows it. */
export interface DueLabel {
  /** Visible words: "Today", "Fri 4 Dec", "Overdue: Tue 1 Dec". */
  text: string;
  /** Words only screen readers hear before the visible ones ("Due: "), or ''. */
  hiddenPrefix: string;
  /** The row's class for it: due, due due--today, due due--overdue. */
  className: string;
}

/** "Fri 4 Dec" within the current year, "3 Nov 2027" in any other. */
export function dateInWords(date: IsoDate, today: IsoDate): string {
  if (date === today) return dateWords.today;
  if (date === addDays(today, 1)) return dateWords.tomorrow;
  if (date === addDays(today, -1)) return dateWords.yesterday;
  const parts = parseIsoDate(date)!;
  const month = dateWords.months[parts.month - 1]!;
  return date.slice(0, 4) === today.slice(0, 4)
    ? `${dateWords.weekdays[dayOfWeek(date)]} ${parts.day} ${month}`
    : `${parts.day} ${month} ${parts.year}`;
}

/** "Tuesday 1 December 2026", for saying which day "today" is. */
export function longDate(date: IsoDate): string {
  const parts = parseIsoDate(date)!;
  return `${dateWords.longWeekdays[dayOfWeek(date)]} ${parts.day} ${dateWords.longMonths[parts.month - 1]} ${parts.year}`;
}

/**
 * One labeller per request: a page of 100 tasks has few distinct dates, so each is worded once
 * and every other row with it is a Map lookup. A completed task is never overdue.
 */
export function dueLabeller(today: IsoDate): (due: IsoDate, completed: boolean) => DueLabel {
  const labels = new Map<string, DueLabel>();
  return (due, completed) => {
    const key = completed ? `${due}c` : due;
    let label = labels.get(key);
    if (!label) {
      const words = dateInWords(due, today);
      const overdue = !completed && due < today;
      label = overdue
        ? { text: dateWords.overdue(words), hiddenPrefix: '', className: 'due due--overdue' }
        : {
            text: words,
            hiddenPrefix: dateWords.duePrefix,
            className: due === today && !completed ? 'due due--today' : 'due',
          };
      labels.set(key, label);
    }
    return label;
  };
}
