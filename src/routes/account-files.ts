import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import { tooMany, type AttemptCounters } from '../auth/attempt-counter';
import { currentUserId, requireLogin } from '../auth/require-login';
import { loggableError } from '../http/error-pages';
import { createTurns } from '../http/turns';
import { writeChunks } from '../http/write-chunks';
import { csvExportChunks } from '../import-export/csv';
import { formatOf, parseImport } from '../import-export/import-file';
import { jsonExportChunks } from '../import-export/json';
import { importUpload } from '../import-export/upload';
import { EXPORT_PAGE_ROWS, IMPORT_WINDOW_MS, IMPORTS_PER_WINDOW } from '../limits';
import { importMessages } from '../messages/import';
import { exportTaskPages, importTasks } from '../models/tasks';
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
  /** Whether requests wait for their turn (http/turns.ts): the exports' pages let them go first. */
  pagesWaiting?: () => boolean;
}

export function accountFilesRouter({
  db,
  verifyCsrf,
  maxTasksPerUser,
  counters,
  pagesWaiting = () => false,
}: AccountFilesDeps): Router {
  // Each import is up to IMPORT_MAX_ROWS inserts in one transaction: counted per user as it
  // starts (after the CSRF check, whatever the file turns out to hold), shared by every instance.
  const imports = counters.counter('import:', IMPORT_WINDOW_MS);
  // Every export's pages take turns, one page at a time, after the pages people wait for.
  const exportPages = createTurns(pagesWaiting);
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

  /**
   * The file is written a page of tasks at a time (keyset pages by id), with backpressure, so a
   * full account's export neither sits in memory whole nor holds the event loop for more than a
   * page; the pages of all exports take turns, and a client that goes away stops its own. An
   * error before the first page is the usual error page; after it the connection is cut, so the
   * download fails rather than looking complete.
   */
  function getExport(format: 'json' | 'csv') {
    return async function exportFile(req: Request, res: Response) {
      const day = new Date().toISOString().slice(0, 10);
      res.attachment(`get-it-done-tasks-${day}.${format}`);
      res.type(format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8');
      if (req.method === 'HEAD') return res.end();
      const pages = exportTaskPages(db, currentUserId(res), EXPORT_PAGE_ROWS);
      const chunks = format === 'json' ? jsonExportChunks(pages) : csvExportChunks(pages);
      try {
        if (!(await writeChunks(res, chunks, exportPages))) {
          req.log.info({ event: 'export.aborted', format }, 'the client left before the export was complete');
        }
      } catch (err) {
        if (!res.headersSent) throw err;
        req.log.error({ err: loggableError(err), event: 'export.failed' }, 'export failed part-way');
        res.destroy();
      }
    };
  }

  async function postImport(req: Request, res: Response) {
    const file = req.file;
    if (!file || file.size === 0) {
      return renderAccountPage(db, req, res, 422, {
        importError: file ? importMessages.importEmpty : importMessages.importNoFile,
      });
    }
    const parsed = parseImport(file.buffer, formatOf(file));
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
