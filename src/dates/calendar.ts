// Calendar dates as 'YYYY-MM-DD' text: what <input type="date"> sends and what the tasks table
// stores. Text compares and sorts like the dates it names, on SQLite and PostgreSQL alike, and
// no driver turns it into a Date at some midnight in the server's own time zone.

export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The date's parts, or undefined for malformed text and impossible dates (2026-02-30). */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return undefined;
  // Date.UTC(y, m, 0) is the last day of month m: it rolls over instead of refusing.
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  return { year, month, day };
}

export const isIsoDate = (text: string): boolean => parseIsoDate(text) !== undefined;

function utcMidnight(date: IsoDate): number {
  const parts = parseIsoDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${date}`);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  return d.getTime();
}

function fromUtcMidnight(ms: number): IsoDate {
  const d = new Date(ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export const addDays = (date: IsoDate, days: number): IsoDate =>
  fromUtcMidnight(utcMidnight(date) + days * DAY_MS);

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: IsoDate): number => new Date(utcMidnight(date)).getUTCDay();
