import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { accountMessages } from '../account-messages';
import { HttpError } from '../http-error';
import { IMPORT_MAX_BYTES } from '../limits';

export const IMPORT_FILE_FIELD = 'file';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 20 },
}).single(IMPORT_FILE_FIELD);

/**
 * Parses the multipart body of POST /account/import into req.body (the _csrf field) and
 * req.file (in memory, capped). It runs before the global CSRF check, which then reads
 * req.body._csrf exactly as for any other form: an upload without a valid token is a 403 and
 * is never looked at. Bodies that are not multipart pass through untouched.
 */
export function importUpload(req: Request, res: Response, next: NextFunction): void {
  // A visitor who is not logged in is sent to log in before any of the upload is read: nobody
  // anonymous gets to make the server buffer half a megabyte.
  if (req.session.userId === undefined) {
    res.redirect(303, '/login');
    return;
  }
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
      return next(new HttpError(413, accountMessages.importTooLarge));
    }
    next(new HttpError(400, accountMessages.importBadUpload));
  });
}
