import { tryAgainAfter } from './wording';

// What the account page says about the password, deleting the account and its limits.
export const accountMessages = {
  currentPasswordRequired: 'Enter your current password.',
  currentPasswordWrong: 'That is not your current password.',
  passwordChanged: 'Your password has been changed. Any other devices have been logged out.',
  deletePasswordWrong: 'That is not your password, so nothing was deleted.',
  accountDeleted: 'Your account and all your tasks have been deleted. Goodbye!',
  timeZoneUnknown: 'Choose a time zone from the list.',
  timeZoneSaved: (zone: string) => `Your time zone is now ${zone}.`,
  tooManyPasswordChecks: (when: string, minutes: number) =>
    `Too many wrong passwords. For your safety, ${tryAgainAfter(when, minutes)}.`,
} as const;
