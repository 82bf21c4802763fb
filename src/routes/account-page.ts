import type { Request, Response } from 'express';
import type { Knex } from 'knex';
import { currentUserId } from '../auth/require-login';
import { describeSessions } from './account-sessions';
import type { FieldErrors } from '../forms/parse-form';
import { IMPORT_FILE_FIELD } from '../import-export/upload';
import { IMPORT_MAX_BYTES, PASSWORD_MIN } from '../limits';
import { importMessages } from '../messages/import';
import { findUserById } from '../models/users';
import { shortcutMessages } from '../messages/shortcuts';
import { longDate } from '../dates/due-labels';
import { TIME_ZONES, todayIn } from '../dates/time-zones';

/** What a form on the account page sends back to it: the errors by the form's fields. */
export interface AccountPageState {
  timeZoneErrors?: FieldErrors;
  shortcutsErrors?: FieldErrors;
  passwordErrors?: FieldErrors;
  deleteErrors?: FieldErrors;
  importError?: string;
}

/** The account page, with the last import's report (shown once) and any form's errors. */
export async function renderAccountPage(
  db: Knex,
  req: Request,
  res: Response,
  status: number,
  state: AccountPageState = {},
): Promise<void> {
  const user = await findUserById(db, currentUserId(res));
  if (!user) return res.redirect(303, '/login');
  const report = req.session.importReport;
  delete req.session.importReport;
  const refusedTotal = report ? report.refused.length + report.moreRefused : 0;
  const importReport = report && {
    summary: importMessages.imported(report.added),
    refusedIntro: refusedTotal ? importMessages.importRefused(refusedTotal) : undefined,
    refused: report.refused,
    more: report.moreRefused ? importMessages.importMoreRefusals(report.moreRefused) : undefined,
  };
  res.status(status).render('account/index', {
    title: 'Your account',
    email: user.email,
    createdAt: user.createdAt,
    timeZone: user.timeZone,
    timeZones: TIME_ZONES,
    todayLong: longDate(todayIn(user.timeZone, res.locals.now)),
    timeZoneErrors: state.timeZoneErrors ?? {},
    keyboardShortcuts: user.keyboardShortcuts,
    shortcutsErrors: state.shortcutsErrors ?? {},
    shortcutText: shortcutMessages,
    passwordErrors: state.passwordErrors ?? {},
    deleteErrors: state.deleteErrors ?? {},
    importError: state.importError,
    importReport,
    importFileField: IMPORT_FILE_FIELD,
    importMaxKb: Math.round(IMPORT_MAX_BYTES / 1024),
    limits: { PASSWORD_MIN },
    sessions: await describeSessions(req, user.id),
  });
}
