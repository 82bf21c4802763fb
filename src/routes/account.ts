import crypto from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import { tooMany, type AttemptCounters } from '../auth/attempt-counter';
import { logSecurityEvent } from '../auth/audit';
import { continueAsOnlySession, replacePassword } from '../auth/password-change';
import type { Passwords } from '../auth/passwords';
import { currentUserId, requireLogin } from '../auth/require-login';
import type { Config } from '../config';
import {
  changePasswordForm,
  deleteAccountForm,
  keyboardShortcutsForm,
  timeZoneForm,
} from '../forms/account-forms';
import { shortcutMessages } from '../messages/shortcuts';
import { parseForm } from '../forms/parse-form';
import { flash } from '../http/flash';
import { accountMessages } from '../messages/account';
import { deleteUser, findPasswordHash, updateKeyboardShortcuts, updateTimeZone } from '../models/users';
import { endSession, saveSession } from '../sessions/lifecycle';
import { destroyUserSessions } from '../sessions/sign-out';
import { renderAccountPage } from './account-page';

interface AccountDeps {
  db: Knex;
  passwords: Passwords;
  sessionStore: session.Store;
  throttle: Config['throttle'];
  counters: AttemptCounters;
}

export function accountRouter({ db, passwords, sessionStore, throttle, counters }: AccountDeps): Router {
  // A stolen session must not become unlimited password guesses (nor a queue of bcrypt work
  // that stalls everyone's logins): the account page's password checks count per session, with
  // the same limit and window as failed logins for one email. Per session, not per user: a thief's
  // wrong guesses must not lock the owner out of their own account page.
  const passwordChecks = counters.counter('password-check:', throttle.windowMs);

  const router = Router();
  router.get('/account', requireLogin, getAccount);
  router.post('/account/time-zone', requireLogin, postTimeZone);
  router.post('/account/shortcuts', requireLogin, postShortcuts);
  router.post('/account/password', requireLogin, postPassword);
  router.post('/account/delete', requireLogin, postDelete);
  return router;

  async function getAccount(req: Request, res: Response) {
    await renderAccountPage(db, req, res, 200);
  }

  async function postTimeZone(req: Request, res: Response) {
    const form = parseForm(timeZoneForm, req.body);
    if (!form.ok) return renderAccountPage(db, req, res, 422, { timeZoneErrors: form.errors });
    await updateTimeZone(db, currentUserId(res), form.value.tz, { chosen: true });
    flash(req, 'success', accountMessages.timeZoneSaved(form.value.tz));
    await saveSession(req);
    res.redirect(303, '/account');
  }

  async function postShortcuts(req: Request, res: Response) {
    const form = parseForm(keyboardShortcutsForm, req.body);
    if (!form.ok) return renderAccountPage(db, req, res, 422, { shortcutsErrors: form.errors });
    await updateKeyboardShortcuts(db, currentUserId(res), form.value.shortcuts);
    flash(req, 'success', shortcutMessages.saved(form.value.shortcuts));
    await saveSession(req);
    res.redirect(303, '/account');
  }

  async function checkPassword(req: Request, userId: number, password: string): Promise<boolean> {
    // The session id is a secret of the cookie: the key is a digest of it, never the id itself.
    const key = crypto.createHash('sha256').update(req.sessionID).digest('base64url');
    // Counted as it starts, so parallel guesses cannot slip past.
    const blockedUntil = await passwordChecks.attempt(key, throttle.loginFailuresPerEmail);
    if (blockedUntil !== undefined) throw tooMany(blockedUntil, accountMessages.tooManyPasswordChecks);
    const hash = await findPasswordHash(db, userId);
    const valid = hash
      ? await passwords.verify(password, hash)
      : await passwords.verifyAgainstDummy(password);
    if (valid) await passwordChecks.resetKey(key);
    return valid;
  }

  async function postPassword(req: Request, res: Response) {
    const userId = currentUserId(res);
    const form = parseForm(changePasswordForm(res.locals.currentUser!.email), req.body);
    if (!form.ok) return renderAccountPage(db, req, res, 422, { passwordErrors: form.errors });
    if (!(await checkPassword(req, userId, form.value.current))) {
      logSecurityEvent(req, 'password.check.fail', { userId });
      return renderAccountPage(db, req, res, 422, {
        passwordErrors: { current: accountMessages.currentPasswordWrong },
      });
    }
    const hash = await passwords.hash(form.value.password);
    // Every session that logged in before now stops counting (even one a request in flight
    // writes back to the store later); this browser logs in again on a new session id, and the
    // others are deleted from the store.
    const now = Date.now();
    await db.transaction((trx) => replacePassword(trx, userId, hash, now));
    await continueAsOnlySession(req, sessionStore, userId);
    logSecurityEvent(req, 'password.changed', { userId });
    flash(req, 'success', accountMessages.passwordChanged);
    await saveSession(req);
    res.redirect(303, '/account');
  }

  async function postDelete(req: Request, res: Response) {
    const userId = currentUserId(res);
    const form = parseForm(deleteAccountForm, req.body);
    if (!form.ok) return renderAccountPage(db, req, res, 422, { deleteErrors: form.errors });
    if (!(await checkPassword(req, userId, form.value.password))) {
      return renderAccountPage(db, req, res, 422, {
        deleteErrors: { password: accountMessages.deletePasswordWrong },
      });
    }
    await deleteUser(db, userId); // tasks follow through ON DELETE CASCADE
    await destroyUserSessions(sessionStore, userId, req.sessionID); // every other session
    await endSession(req, res); // and this one
    logSecurityEvent(req, 'account.deleted', { userId });
    flash(req, 'info', accountMessages.accountDeleted);
    res.redirect(303, '/register');
  }
}
