import { z } from 'zod';
import { canonicalTimeZone } from '../dates/time-zones';
import { isCommonPassword } from './common-passwords';
import { EMAIL_MAX, PASSWORD_INPUT_MAX, PASSWORD_MIN } from '../limits';
import { authMessages } from '../messages/auth';
import { normaliseEmail } from '../models/users';

// A string field whose type error reads like the field's own message (an array, an object or a
// missing field is "not a valid value" to the user, not a stack trace).
export const text = (message: string) => z.string({ error: message });

/**
 * PostgreSQL cannot store a NUL character in text, and no keyboard types one: every text field
 * refuses it with the field's own message, before any query or bcrypt sees the value.
 */
export const hasNul = (value: string) => value.includes('\u0000');

/** An email as accounts store it (see normaliseEmail), at most EMAIL_MAX characters. */
const normalisedEmail = (message: string) =>
  text(message)
    .transform(normaliseEmail)
    .pipe(z.string().max(EMAIL_MAX, message))
    .refine((email) => !hasNul(email), message);

export const emailField = normalisedEmail(authMessages.emailInvalid).pipe(
  z.email({ error: authMessages.emailInvalid }),
);

/** A password typed to be checked (log in, confirm): any text up to the input ceiling. */
export const passwordToCheck = (required: string, tooLong = required) =>
  text(required)
    .min(1, required)
    .max(PASSWORD_INPUT_MAX, tooLong)
    .refine((pw) => !hasNul(pw), authMessages.passwordNul);

// Passwords are never trimmed or case-folded (auth/passwords.ts normalises them to NFC for
// hashing, so the same password typed on any keyboard matches).
export const newPasswordField = text(authMessages.passwordTooShort)
  .min(PASSWORD_MIN, authMessages.passwordTooShort)
  .max(PASSWORD_INPUT_MAX, authMessages.passwordTooLong)
  .refine((pw) => !hasNul(pw), authMessages.passwordNul)
  .refine((pw) => !isCommonPassword(pw), authMessages.passwordCommon);

/** A password equal to the account's email (in any letter case) is the first thing an attacker tries. */
export const isPasswordTheEmail = (password: string, email: string) =>
  normaliseEmail(password) === normaliseEmail(email);

/** The new password and its repetition, as registration and the password change take them. */
export const newPasswordFields = { password: newPasswordField, verify: text(authMessages.verifyMismatch) };

/** The checks across a new password's fields: the two copies match, and it is not the email. */
export function checkNewPassword<T extends { password: string; verify: string }>(
  form: z.ZodType<T>,
  emailOf: (value: T) => string,
): z.ZodType<T> {
  return form
    .refine((value) => value.password === value.verify, {
      message: authMessages.verifyMismatch,
      path: ['verify'],
    })
    .refine((value) => !isPasswordTheEmail(value.password, emailOf(value)), {
      message: authMessages.passwordIsEmail,
      path: ['password'],
    });
}

/**
 * The browser's time zone, which the script puts in a hidden field: its canonical name, or
 * undefined when there is none (no JavaScript) or it is not one we know. Never an error.
 */
export const browserTimeZone = z
  .unknown()
  .optional()
  .transform((value) => canonicalTimeZone(value));

export const registerForm = checkNewPassword(
  z.object({ email: emailField, ...newPasswordFields, tz: browserTimeZone }),
  (form) => form.email,
);

export const loginForm = z.object({
  email: normalisedEmail(authMessages.emailInvalid).pipe(z.string().min(1, authMessages.emailInvalid)),
  password: passwordToCheck(authMessages.passwordRequired),
  tz: browserTimeZone,
});
