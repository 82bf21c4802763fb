/** "2 tasks", "1 task": a count with its noun. */
export const countOf = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** "try again after 15:04 UTC (in about 3 minutes)", for the 429 pages. */
export const tryAgainAfter = (when: string, minutes: number, verb = 'try') =>
  `${verb} again after ${when} (in about ${countOf(minutes, 'minute')})`;

/** 10,000: a number as the messages write it. */
export const inFigures = (count: number) => count.toLocaleString('en');
