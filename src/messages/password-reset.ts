import { PASSWORD_RESET_TTL_MS } from '../limits';
import { countOf } from './wording';

// What the forgot-password and reset pages, and the reset email, say.
const validFor = countOf(Math.round(PASSWORD_RESET_TTL_MS / (60 * 60 * 1000)), 'hour'); // "1 hour"

export const passwordResetMessages = {
  forgotTitle: 'Reset your password',
  forgotLead: 'Enter the email address of your account and we will send you a link to choose a new password.',
  // The same words whether or not the account exists (or the request was over its limit).
  linkSent: `If an account uses that email, a link to reset its password is on its way. The link is valid for ${validFor}.`,
  notConfigured:
    'Password recovery by email is not set up on this server. Ask the person who runs it to help you back into your account.',
  resetTitle: 'Choose a new password',
  resetLead: (email: string) => `Choose a new password for ${email}. Any other devices will be logged out.`,
  passwordReset:
    'Your password has been changed and you are logged in. Any other devices have been logged out.',
  invalidLinkTitle: 'This link is no longer valid',
  invalidLinkText: `A password-reset link works once, for ${validFor}, and only the newest one you asked for works. Ask for a new one and use the link in that email.`,
  mailSubject: 'Reset your Get It Done! password',
  mailText: (link: string) =>
    [
      'Hello,',
      '',
      'Someone asked to reset the password of the Get It Done! account that uses this email address.',
      'If that was you, choose a new password here:',
      '',
      link,
      '',
      `The link is valid for ${validFor} and works once.`,
      '',
      'If you did not ask for this, ignore this email: your password has not changed, and nobody can use the link without access to your email.',
      '',
      '— Get It Done!',
      '',
    ].join('\n'),
} as const;
