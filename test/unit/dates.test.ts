import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, isIsoDate } from '../../src/dates/calendar';
import { dateInWords, dueLabeller, longDate } from '../../src/dates/due-labels';
import { containsPattern, searchText } from '../../src/db/search-text';
import { canonicalTimeZone, DEFAULT_TIME_ZONE, TIME_ZONES, todayIn } from '../../src/dates/time-zones';

describe('calendar dates', () => {
  it('knows which days exist', () => {
    expect(['2026-12-01', '2028-02-29', '2000-02-29', '9999-12-31'].every(isIsoDate)).toBe(true);
    expect(
      ['2026-02-30', '1900-02-29', '2026-00-10', '2026-1-5', ' 2026-12-01', 'tomorrow'].some(isIsoDate),
    ).toBe(false);
  });

  it('counts days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-01', -400)).toBe('2025-10-27');
    expect(dayOfWeek('2026-12-04')).toBe(5); // a Friday
  });
});

describe('due dates in words', () => {
  const today = '2026-12-01'; // a Tuesday
  it('says Today, Tomorrow and Yesterday, the weekday this year, and the year otherwise', () => {
    expect(dateInWords('2026-12-01', today)).toBe('Today');
    expect(dateInWords('2026-12-02', today)).toBe('Tomorrow');
    expect(dateInWords('2026-11-30', today)).toBe('Yesterday');
    expect(dateInWords('2026-12-04', today)).toBe('Fri 4 Dec');
    expect(dateInWords('2027-11-03', today)).toBe('3 Nov 2027');
    expect(dateInWords('1999-01-09', today)).toBe('9 Jan 1999');
    expect(longDate(today)).toBe('Tuesday 1 December 2026');
  });

  it('marks open tasks before today as overdue in words, never completed ones', () => {
    const label = dueLabeller(today);
    expect(label('2026-11-27', false)).toEqual({
      text: 'Overdue: Fri 27 Nov',
      hiddenPrefix: '',
      className: 'due due--overdue',
    });
    expect(label('2026-11-27', true)).toEqual({
      text: 'Fri 27 Nov',
      hiddenPrefix: 'Due: ',
      className: 'due',
    });
    expect(label('2026-12-01', false)).toMatchObject({ text: 'Today', className: 'due due--today' });
    // Worded once per request: the same object for every row with the date.
    expect(label('2026-12-04', false)).toBe(label('2026-12-04', false));
  });
});

describe('time zones', () => {
  it('accepts the zones ICU knows under any of their names, in canonical form', () => {
    expect(canonicalTimeZone('Europe/London')).toBe('Europe/London');
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    for (const bad of ['Mars/Olympus_Mons', '+05:00', '', 'x'.repeat(100), 42, undefined, ['UTC']]) {
      expect(canonicalTimeZone(bad)).toBeUndefined();
    }
    expect(TIME_ZONES[0]).toBe(DEFAULT_TIME_ZONE);
    expect(TIME_ZONES).toContain('Pacific/Kiritimati');
  });

  it('gives today in the zone: one instant is two dates across the date line', () => {
    const instant = new Date('2026-12-01T20:00:00Z');
    expect(todayIn('UTC', instant)).toBe('2026-12-01');
    expect(todayIn('Pacific/Kiritimati', instant)).toBe('2026-12-02'); // UTC+14
    expect(todayIn('Pacific/Pago_Pago', instant)).toBe('2026-12-01'); // UTC-11
    expect(todayIn('America/Los_Angeles', new Date('2026-12-02T05:00:00Z'))).toBe('2026-12-01');
    expect(todayIn('No/Such_Zone', instant)).toBe('2026-12-01');
  });
});

describe('the folded text search compares', () => {
  it('folds case in every script the same way for names and searches', () => {
    expect(searchText('ÉCOLE')).toBe(searchText('école'));
    expect(searchText('Straße')).toBe('strasse');
    expect(searchText('ΟΔΟΣ')).toBe(searchText('οδος'));
    expect(searchText('ＡＢＣ ﬁ')).toBe('abc fi');
    expect(searchText('café')).not.toBe(searchText('cafe'));
  });

  it('makes a LIKE pattern whose %, _ and \\ are literal', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('a_b\\c')).toBe('%a\\_b\\\\c%');
    expect(containsPattern('MILK')).toBe('%milk%');
  });
});
