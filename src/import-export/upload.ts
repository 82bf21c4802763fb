import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { HttpError } from '../http/http-error';
import { importMessages } from '../messages/import';
import { IMPORT_MAX_BYTES } from '../limits';

export const IMPORT_FILE_FIELD = 'file';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 20 },
}).single(IMPORT_FILE_FIELD);

/**
 * Parses the multipart body of POST /account/import into req.body (the _csrf field) and
 * req.file (in memory, capped), for the CSRF check that follows it on the route's row, which
 * then reads req.body._csrf exactly as for any other form: an upload without a valid token is
 * a 403 and is never looked at. Bodies that are not multipart pass through untouched. Put it
 * behind requireLogin: nobody anonymous gets to make the server buffer half a megabyte.
 */
export function importUpload(req: Request, res: Response, next: NextFunction): void {
  upload(req, res, (err: unknown) => {
    if (!err) return next();
    if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
      return next(new HttpError(413, importMessages.importTooLarge));
    }
    next(new HttpError(400, importMessages.importBadUpload));
  });
}
