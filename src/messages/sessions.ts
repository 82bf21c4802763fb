import { countOf } from './wording';

// What the account page says about the devices where the account is signed in.
export const sessionMessages = {
  thisDevice: 'This device',
  seenNow: 'Now',
  seenWithinHour: 'Within the last hour',
  seenHoursAgo: (hours: number) => `About ${countOf(hours, 'hour')} ago`,
  /** A date written as the account page writes dates ("1 December 2026"). */
  seenOn: (date: Date) =>
    date.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }),
  seenUnknown: 'Not known',
  /** The rest of a Sign out button's accessible name: "Sign out Safari on iPhone, 203.0.113.7, last seen 2 December 2026". */
  signOutDetail: (device: string, ip: string, seen: string) =>
    ` ${device}, ${ip}, last seen ${/^[A-Z][a-z]/.test(seen) ? seen[0]!.toLowerCase() + seen.slice(1) : seen}`,
  addressUnknown: 'Not known',
  signedOutOne: (device: string) => `Signed out ${device}. That device will have to log in again.`,
  signedOutOthers: (count: number) =>
    count === 0
      ? 'There were no other sessions to sign out.'
      : `Signed out ${countOf(count, 'other session')}. Only this device is still logged in.`,
  sessionNotFound: 'That session is not signed in any more.',
  moreSessions: (count: number) =>
    `And ${countOf(count, 'older session')}, not listed; "Sign out everywhere else" signs them out too.`,
} as const;
