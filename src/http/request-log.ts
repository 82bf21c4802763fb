import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logger';

/** A password-reset link's token is a password for an hour: it never reaches the log. */
const SECRET_IN_PATH = /^(\/password\/reset\/)[^/?#]+/i; // Express matches paths in any case

/**
 * One line per request once it is answered (or the client went away): its id, method, URL,
 * status and time, at info, or error for a 5xx. No headers: no cookie or token can reach the log.
 * req.log, the logger routes use, carries the request's id and is made only when a route logs.
 * (pino-http, used before, built two child loggers per request, one serialising all the
 * request's headers, even when the level dropped every line: about 0.1 ms per request.)
 */
export function requestLog(logger: Logger, ignore: (req: Request) => boolean) {
  let lastId = 0;
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const id = ++lastId;
    const started = Date.now();
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      get: () => (child ??= logger.child({ reqId: id })),
      configurable: true,
    });
    if (!ignore(req)) {
      res.once('close', () => {
        const level = res.statusCode >= 500 ? 'error' : 'info';
        if (!logger.isLevelEnabled(level)) return;
        logger[level](
          {
            reqId: id,
            method: req.method,
            url: req.originalUrl.replace(SECRET_IN_PATH, '$1[token]'),
            // A client gone before any answer has no status (statusCode would still say 200).
            status: res.headersSent ? res.statusCode : undefined,
            ms: Date.now() - started,
            ...(res.writableFinished ? {} : { aborted: true }),
          },
          'request',
        );
      });
    }
    next();
  };
}
