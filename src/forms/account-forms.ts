import { z } from 'zod';
import { accountMessages } from '../account-messages';
import { messages } from '../messages';
import { isPasswordTheEmail, newPasswordField } from './auth-forms';

const currentPassword = z
  .string({ error: accountMessages.currentPasswordRequired })
  .min(1, accountMessages.currentPasswordRequired)
  .max(1024, accountMessages.currentPasswordWrong);

/** Change password: the same rules as registration, checked against the account's own email. */
export function changePasswordForm(email: string) {
  return z
    .object({
      current: currentPassword,
      password: newPasswordField,
      verify: z.string({ error: messages.verifyMismatch }),
    })
    .refine((form) => form.password === form.verify, { message: messages.verifyMismatch, path: ['verify'] })
    .refine((form) => !isPasswordTheEmail(form.password, email), {
      message: accountMessages.passwordIsEmail,
      path: ['password'],
    });
}

export const deleteAccountForm = z.object({
  password: z
    .string({ error: messages.passwordRequired })
    .min(1, messages.passwordRequired)
    .max(1024, accountMessages.deletePasswordWrong),
});
