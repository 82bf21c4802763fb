import { z } from 'zod';
import { checkNewPassword, emailField, newPasswordFields } from './auth-forms';

export const forgotPasswordForm = z.object({ email: emailField });

/** A new password by reset link: the registration rules, checked against the account's email. */
export function resetPasswordForm(email: string) {
  return checkNewPassword(z.object(newPasswordFields), () => email);
}
