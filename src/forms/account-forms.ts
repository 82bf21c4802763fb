import { z } from 'zod';
import { accountMessages } from '../messages/account';
import { authMessages } from '../messages/auth';
import { checkNewPassword, newPasswordFields, passwordToCheck } from './auth-forms';

/** Change password: the same rules as registration, checked against the account's own email. */
export function changePasswordForm(email: string) {
  const current = passwordToCheck(
    accountMessages.currentPasswordRequired,
    accountMessages.currentPasswordWrong,
  );
  return checkNewPassword(z.object({ current, ...newPasswordFields }), () => email);
}

export const deleteAccountForm = z.object({
  password: passwordToCheck(authMessages.passwordRequired, accountMessages.deletePasswordWrong),
});
