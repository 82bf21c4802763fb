import { z } from 'zod';
import { canonicalTimeZone } from '../dates/time-zones';
import { accountMessages } from '../messages/account';
import { shortcutMessages } from '../messages/shortcuts';
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

/** The account page's time zone: a zone we know, by any of its names (stored canonical). */
export const timeZoneForm = z.object({
  tz: z
    .unknown()
    .transform((value) => canonicalTimeZone(value))
    .pipe(z.string({ error: accountMessages.timeZoneUnknown })),
});

/** The shortcuts setting: a checkbox, so 'on' when ticked and no field at all when not. */
export const keyboardShortcutsForm = z.object({
  shortcuts: z
    .literal('on', { error: shortcutMessages.settingInvalid })
    .optional()
    .transform((value) => value === 'on'),
});
