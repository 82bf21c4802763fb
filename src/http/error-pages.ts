import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { isDatabaseUnavailable } from '../db/dialect';
import { HttpError, notFound } from './http-error';
import { errorPageMessages } from '../messages/errors';
import { wantsJson } from './wants-json';

export const pageNotFound: RequestHandler = (_req, _res, next) => next(notFound());

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (isDatabaseUnavailable(err)) return 503;
  if (typeof err === 'object' && err !== null) {
    if ((err as { code?: unknown }).code === 'EBADCSRFTOKEN') return 403;
    // Library errors (body-parser's 413/400/415, http-errors) carry their own 4xx status.
    const status =
      (err as { status?: unknown; statusCode?: unknown }).status ??
      (err as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) return status;
  }
  return 500;
}

/**
 * What of an error goes to the log: its kind and the driver's own words, but not the SQL with
 * its bound values (Knex puts those in the message: emails, hashes, task names).
 */
export function loggableError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const { code, status } = err as { code?: unknown; status?: unknown };
  return {
    name: err.name,
    code,
    status,
    message: err.message.split(' - ').pop(),
    stack: err.stack?.split('\n')[1]?.trim(),
  };
}

/**
 * The database or the session store is unavailable: leave the stored session and the browser's
 * cookie as they were (no half-done login, no new cookie for an unsaved session). The page can
 * still show a signed-in user's header: its log-out form gets the token the session already
 * holds, and no new one is made (that would need the session).
 */
function keepSessionAsItWas(req: Request, res: Response): void {
  const token = req.session?.csrfToken;
  delete (req as { session?: unknown }).session;
  if (token === undefined) delete res.locals.currentUser;
  res.locals.csrfToken = () => token ?? '';
}

/** The one place errors become pages: our wording, the right status, never a stack trace. */
export function renderError(logger: Logger): ErrorRequestHandler {
  return function renderErrorPage(err, req, res, next) {
    if (res.headersSent) return next(err);
    const status = statusOf(err);
    if (status === 503) keepSessionAsItWas(req, res);
    if (status >= 500) logger.error({ err: loggableError(err), reqId: req.id }, 'request failed');
    const page = errorPageMessages[status] ?? errorPageMessages[status >= 500 ? 500 : 400]!;
    const text = err instanceof HttpError ? err.message : page.text;
    if (err instanceof HttpError) res.set(err.headers);
    if (status === 503 && !res.get('Retry-After')) res.set('Retry-After', '5');
    res.status(status);
    if (wantsJson(req)) {
      res.json({ error: { status, message: text } });
      return;
    }
    res.render('error', { title: page.title, status, text }, (renderErr: Error | null, html?: string) => {
      if (renderErr) {
        logger.error({ err: renderErr }, 'error page failed to render');
        res.type('text').send(`${status} ${page.title}. ${text}`);
        return;
      }
      res.send(html);
    });
  };
}
