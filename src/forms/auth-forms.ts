import { z } from 'zod';
import { EMAIL_MAX, PASSWORD_MAX_BYTES, PASSWORD_MIN } from '../limits';
import { accountMessages } from '../account-messages';
import { isCommonPassword } from '../common-passwords';
import { messages } from '../messages';

// A string field whose type error reads like the field's own message (an array, an object or a
// missing field is "not a valid value" to the user, not a stack trace).
const text = (message: string) => z.string({ error: message });

export const emailField = text(messages.emailInvalid)
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, messages.emailInvalid)
  .pipe(z.email({ error: messages.emailInvalid }));

// Passwords are never trimmed or case-folded; bcrypt's limit is in bytes, not characters.
export const newPasswordField = text(messages.passwordTooShort)
  .min(PASSWORD_MIN, messages.passwordTooShort)
  .refine((pw) => Buffer.byteLength(pw, 'utf8') <= PASSWORD_MAX_BYTES, messages.passwordTooLong)
  .refine((pw) => !isCommonPassword(pw), accountMessages.passwordCommon);

/** A password equal to the account's email (in any letter case) is the first thing an attacker tries. */
export const isPasswordTheEmail = (password: string, email: string) =>
  password.trim().toLowerCase() === email.trim().toLowerCase();

export const registerForm = z
  .object({
    email: emailField,
    password: newPasswordField,
    verify: text(messages.verifyMismatch),
  })
  .refine((form) => form.password === form.verify, { message: messages.verifyMismatch, path: ['verify'] })
  .refine((form) => !isPasswordTheEmail(form.password, form.email), {
    message: accountMessages.passwordIsEmail,
    path: ['password'],
  });

export type RegisterForm = z.infer<typeof registerForm>;

export const loginForm = z.object({
  email: text(messages.emailInvalid)
    .trim()
    .toLowerCase()
    .min(1, messages.emailInvalid)
    .max(EMAIL_MAX, messages.emailInvalid),
  password: text(messages.passwordRequired)
    .min(1, messages.passwordRequired)
    .max(1024, messages.passwordRequired),
});

export type LoginForm = z.infer<typeof loginForm>;
