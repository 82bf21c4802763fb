import type { IsoDate } from './calendar';

// Each user's IANA time zone decides what "today" is. Names are checked against the zones this
// Node.js knows (its ICU data) and stored in ICU's canonical spelling, so the account page's
// list always holds the stored value.

export const DEFAULT_TIME_ZONE = 'UTC';

/** Every zone a user can choose, sorted, UTC first. */
export const TIME_ZONES: readonly string[] = [
  DEFAULT_TIME_ZONE,
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== DEFAULT_TIME_ZONE),
];
const KNOWN = new Set(TIME_ZONES);

/**
 * The canonical name of a time zone the browser or a form sent ('US/Eastern' is
 * America/New_York, 'utc' is UTC), or undefined when it is not a zone we know.
 */
export function canonicalTimeZone(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '' || name.length > 64) return undefined;
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    return KNOWN.has(zone) ? zone : undefined;
  } catch {
    return undefined; // RangeError: not a time zone at all
  }
}

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, made once.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    // en-CA writes dates as YYYY-MM-DD.
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const MINUTE_MS = 60_000;
// Formatting costs some 20 µs, and every page asks: each zone's date is kept for the minute it
// was worked out in (no zone changes its date at other than a whole minute).
const todays = new Map<string, { minute: number; date: IsoDate }>();

/** Today's date in the zone (UTC for a zone that is not known). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  const zone = KNOWN.has(timeZone) ? timeZone : DEFAULT_TIME_ZONE;
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const known = todays.get(zone);
  if (known?.minute === minute) return known.date;
  const date = formatterFor(zone).format(now);
  todays.set(zone, { minute, date });
  return date;
}
