import { PASSWORD_INPUT_MAX, PASSWORD_MIN } from '../limits';
import { tryAgainAfter } from './wording';

// What registering, logging in and out, and the password rules say.
export const authMessages = {
  emailInvalid: 'Enter a valid email address, like name@example.com.',
  emailTaken: 'An account with this email already exists. Log in instead?',
  passwordTooShort: `Use at least ${PASSWORD_MIN} characters.`,
  passwordTooLong: `Use at most ${PASSWORD_INPUT_MAX.toLocaleString('en')} characters.`,
  passwordRequired: 'Enter your password.',
  passwordCommon:
    'That password is one of the 10,000 most common passwords, so it would be guessed quickly. Choose another; a short sentence works well.',
  passwordNul: 'Passwords cannot contain a NUL character.',
  passwordIsEmail: 'Your password cannot be your email address.',
  verifyMismatch: 'The passwords do not match.',
  loginFailed: 'That email and password do not match an account.',
  registered: 'Welcome to Get It Done! Your account is ready.',
  loggedIn: 'Welcome back!',
  loggedOut: 'You have been logged out.',
  loginRequired: 'Please log in to see your tasks.',
  busy: 'Many people are logging in right now. Please try again in a few seconds.',
  tooManyLogins: (when: string, minutes: number) =>
    `Too many failed log-in attempts. For your safety, ${tryAgainAfter(when, minutes)}.`,
  tooManyRegistrations: (when: string, minutes: number) =>
    `Too many accounts were created from your network. ${tryAgainAfter(when, minutes, 'Try')}.`,
} as const;
