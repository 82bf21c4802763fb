import { Router, type Request, type Response } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import { accountMessages } from '../account-messages';
import type { Config } from '../config';
import { changePasswordForm, deleteAccountForm } from '../forms/account-forms';
import { parseForm, type FieldErrors } from '../forms/parse-form';
import { IMPORT_MAX_BYTES, PASSWORD_MIN } from '../limits';
import { flash } from '../middleware/flash';
import { IMPORT_FILE_FIELD } from '../middleware/import-upload';
import { AttemptCounter, tooMany } from '../middleware/login-throttle';
import { currentUserId, requireLogin } from '../middleware/require-login';
import {
  cutOffSessions,
  deleteUser,
  exportTasks,
  findPasswordHash,
  importTasks,
  updatePasswordHash,
} from '../models/account';
import { findUserById } from '../models/users';
import type { Passwords } from '../passwords';
import { parseImport, toCsv, toJson } from '../task-files';
import { destroyUserSessions } from '../user-sessions';
import { regenerateSession, saveSession, startUserSession } from './session-helpers';

interface AccountDeps {
  db: Knex;
  passwords: Passwords;
  sessionStore: session.Store;
  throttle: Config['throttle'];
}

/** At most this many refused rows are listed one by one; the rest are counted. */
const REFUSALS_SHOWN = 50;

interface AccountPageState {
  passwordErrors?: FieldErrors;
  deleteErrors?: FieldErrors;
  importError?: string;
}

export function accountRouter({ db, passwords, sessionStore, throttle }: AccountDeps): Router {
  // A stolen session must not become unlimited password guesses (nor a queue of bcrypt work
  // that stalls everyone's logins): the account page's password checks count per user, with
  // the same limit and window as failed logins for one email.
  const passwordChecks = new AttemptCounter(throttle.loginFailuresPerEmail, throttle.windowMs);
  const router = Router();
  router.get('/account', requireLogin, getAccount);
  router.post('/account/password', requireLogin, postPassword);
  router.post('/account/delete', requireLogin, postDelete);
  router.get('/account/export.json', requireLogin, getExport('json'));
  router.get('/account/export.csv', requireLogin, getExport('csv'));
  router.post('/account/import', requireLogin, postImport);
  return router;

  async function renderAccount(req: Request, res: Response, status: number, state: AccountPageState = {}) {
    const user = await findUserById(db, currentUserId(res));
    if (!user) return res.redirect(303, '/login');
    const report = req.session.importReport;
    delete req.session.importReport;
    const refusedTotal = report ? report.refused.length + report.moreRefused : 0;
    const importReport = report && {
      summary: accountMessages.imported(report.added),
      refusedIntro: refusedTotal ? accountMessages.importRefused(refusedTotal) : undefined,
      refused: report.refused,
      more: report.moreRefused ? accountMessages.importMoreRefusals(report.moreRefused) : undefined,
    };
    res.status(status).render('account/index', {
      title: 'Your account',
      email: user.email,
      createdAt: user.createdAt,
      passwordErrors: state.passwordErrors ?? {},
      deleteErrors: state.deleteErrors ?? {},
      importError: state.importError,
      importReport,
      importFileField: IMPORT_FILE_FIELD,
      importMaxKb: Math.round(IMPORT_MAX_BYTES / 1024),
      limits: { PASSWORD_MIN },
    });
  }

  async function getAccount(req: Request, res: Response) {
    await renderAccount(req, res, 200);
  }

  async function checkPassword(userId: number, password: string): Promise<boolean> {
    const key = String(userId);
    const blockedUntil = passwordChecks.blockedUntil(key);
    if (blockedUntil !== undefined) throw tooMany(blockedUntil, accountMessages.tooManyPasswordChecks);
    passwordChecks.hit(key); // counted as it starts, so parallel guesses cannot slip past
    const hash = await findPasswordHash(db, userId);
    const valid = hash
      ? await passwords.verify(password, hash)
      : await passwords.verifyAgainstDummy(password);
    if (valid) passwordChecks.reset(key);
    return valid;
  }

  async function postPassword(req: Request, res: Response) {
    const userId = currentUserId(res);
    const form = parseForm(changePasswordForm(res.locals.currentUser!.email), req.body);
    if (!form.ok) return renderAccount(req, res, 422, { passwordErrors: form.errors });
    if (!(await checkPassword(userId, form.value.current))) {
      req.log.info({ event: 'account.password.fail', userId }, 'wrong current password');
      return renderAccount(req, res, 422, {
        passwordErrors: { current: accountMessages.currentPasswordWrong },
      });
    }
    const hash = await passwords.hash(form.value.password);
    // Every session that logged in before now stops counting (even one a request in flight
    // writes back to the store later); this browser logs in again on a new session id, and the
    // others are deleted from the store.
    const now = Date.now();
    await db.transaction(async (trx) => {
      await updatePasswordHash(trx, userId, hash);
      await cutOffSessions(trx, userId, now);
    });
    await startUserSession(req, userId);
    await destroyUserSessions(sessionStore, userId, req.sessionID);
    req.log.info({ event: 'account.password.changed', userId }, 'password changed');
    flash(req, 'success', accountMessages.passwordChanged);
    await saveSession(req);
    res.redirect(303, '/account');
  }

  async function postDelete(req: Request, res: Response) {
    const userId = currentUserId(res);
    const form = parseForm(deleteAccountForm, req.body);
    if (!form.ok) return renderAccount(req, res, 422, { deleteErrors: form.errors });
    if (!(await checkPassword(userId, form.value.password))) {
      return renderAccount(req, res, 422, {
        deleteErrors: { password: accountMessages.deletePasswordWrong },
      });
    }
    await deleteUser(db, userId); // tasks follow through ON DELETE CASCADE
    await regenerateSession(req); // drops this session from the store
    await destroyUserSessions(sessionStore, userId, req.sessionID); // and every other one
    req.log.info({ event: 'account.deleted', userId }, 'account deleted');
    flash(req, 'info', accountMessages.accountDeleted);
    await saveSession(req);
    res.redirect(303, '/register');
  }

  function getExport(format: 'json' | 'csv') {
    return async function exportFile(_req: Request, res: Response) {
      const tasks = await exportTasks(db, currentUserId(res));
      const day = new Date().toISOString().slice(0, 10);
      res.attachment(`get-it-done-tasks-${day}.${format}`);
      if (format === 'json') res.type('application/json; charset=utf-8').send(toJson(tasks));
      // The byte-order mark tells spreadsheets the file is UTF-8 (the importer skips it).
      else res.type('text/csv; charset=utf-8').send(`\uFEFF${toCsv(tasks)}`);
    };
  }

  async function postImport(req: Request, res: Response) {
    const file = req.file;
    if (!file || file.size === 0) {
      return renderAccount(req, res, 422, {
        importError: file ? accountMessages.importEmpty : accountMessages.importNoFile,
      });
    }
    const parsed = parseImport(file.buffer);
    if (!parsed.ok) return renderAccount(req, res, 422, { importError: parsed.error });
    const added = await importTasks(db, currentUserId(res), parsed.tasks);
    req.session.importReport = {
      added,
      refused: parsed.refused.slice(0, REFUSALS_SHOWN),
      moreRefused: Math.max(0, parsed.refused.length - REFUSALS_SHOWN),
    };
    await saveSession(req);
    res.redirect(303, '/account');
  }
}
