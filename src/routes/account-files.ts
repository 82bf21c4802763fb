import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import { tooMany, type AttemptCounters } from '../auth/attempt-counter';
import { currentUserId, requireLogin } from '../auth/require-login';
import { toCsv } from '../import-export/csv';
import { parseImport } from '../import-export/import-file';
import { toJson } from '../import-export/json';
import { importUpload } from '../import-export/upload';
import { IMPORT_WINDOW_MS, IMPORTS_PER_WINDOW } from '../limits';
import { importMessages } from '../messages/import';
import { exportTasks, importTasks } from '../models/tasks';
import { saveSession } from '../sessions/lifecycle';
import { renderAccountPage } from './account-page';

/** At most this many refused rows are listed one by one; the rest are counted. */
const REFUSALS_SHOWN = 50;

/**
 * Export and import of the user's tasks. The import is the app's one multipart form, so its
 * row reads the upload and then checks the CSRF token itself: app.ts mounts this router before
 * the global token check, which cannot read a body that is not parsed yet.
 */
interface AccountFilesDeps {
  db: Knex;
  verifyCsrf: RequestHandler;
  maxTasksPerUser: number;
  counters: AttemptCounters;
}

export function accountFilesRouter({ db, verifyCsrf, maxTasksPerUser, counters }: AccountFilesDeps): Router {
  // Each import is up to IMPORT_MAX_ROWS inserts in one transaction: counted per user as it
  // starts (after the CSRF check, whatever the file turns out to hold), shared by every instance.
  const imports = counters.counter('import:', IMPORT_WINDOW_MS);
  const router = Router();
  router.get('/account/export.json', requireLogin, getExport('json'));
  router.get('/account/export.csv', requireLogin, getExport('csv'));
  router.post('/account/import', requireLogin, importUpload, verifyCsrf, limitImports, postImport);
  return router;

  async function limitImports(req: Request, res: Response, next: NextFunction) {
    const userId = currentUserId(res);
    const blockedUntil = await imports.attempt(String(userId), IMPORTS_PER_WINDOW);
    if (blockedUntil === undefined) return next();
    req.log.warn({ event: 'import.throttled', userId }, 'too many imports');
    next(tooMany(blockedUntil, importMessages.tooManyImports));
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
      return renderAccountPage(db, req, res, 422, {
        importError: file ? importMessages.importEmpty : importMessages.importNoFile,
      });
    }
    const parsed = parseImport(file.buffer);
    if (!parsed.ok) return renderAccountPage(db, req, res, 422, { importError: parsed.error });
    const result = await importTasks(db, currentUserId(res), parsed.tasks, maxTasksPerUser);
    if (!result.ok) {
      const importError = importMessages.importOverQuota(parsed.tasks.length, result.fit, maxTasksPerUser);
      return renderAccountPage(db, req, res, 422, { importError });
    }
    req.session.importReport = {
      added: result.added,
      refused: parsed.refused.slice(0, REFUSALS_SHOWN),
      moreRefused: Math.max(0, parsed.refused.length - REFUSALS_SHOWN),
    };
    await saveSession(req);
    res.redirect(303, '/account');
  }
}
