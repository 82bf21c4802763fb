import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import { cookieName, cookieOptions, createSigner, readCookie } from './cookies';
import { wantsJson } from './wants-json';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
  /** A task that was just deleted and can be put back. */
  undoTaskId?: number;
  /** What Complete all or Clear completed just changed, which Undo can put back (task_undo). */
  undoBulkId?: number;
}

/** Messages for the next page of a visitor who is not signed in: a short-lived signed cookie. */
export interface Notices {
  add(message: Flash): void;
  take(): Flash[];
}

/** A notice waits this long for the page it is for (the redirect's target). */
const NOTICE_MS = 60 * 1000;

/**
 * A signed-in user's messages wait in the session. A visitor's ("please log in", "you have been
 * logged out") wait in a signed cookie instead, so that nobody anonymous costs a stored session.
 */
export function flash(req: Request, kind: Flash['kind'], text: string, extra: Partial<Flash> = {}): void {
  const message: Flash = { kind, text, ...extra };
  if (req.session?.userId === undefined) {
    req.notices.add(message);
    return;
  }
  const list = req.session.flash ?? [];
  list.push(message);
  req.session.flash = list;
}

function isFlash(value: unknown): value is Flash {
  const candidate = value as Partial<Flash> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.text === 'string' &&
    (candidate.kind === 'success' || candidate.kind === 'error' || candidate.kind === 'info')
  );
}

/** Gives every request its `req.notices`, read from and written to the notice cookie. */
export function notices(config: Config, secret: string) {
  const signer = createSigner(secret, 'notice');
  const name = cookieName(config, 'notice');
  const options = cookieOptions(config, NOTICE_MS);
  return function attachNotices(req: Request, res: Response, next: NextFunction): void {
    const queued: Flash[] = [];
    req.notices = {
      add(message) {
        queued.push(message);
        res.cookie(name, signer.sign(Buffer.from(JSON.stringify(queued)).toString('base64url')), options);
      },
      take() {
        const signed = readCookie(req, name);
        if (signed === undefined) return [];
        res.clearCookie(name, { ...options, maxAge: undefined });
        const value = signer.unsign(signed);
        if (value === undefined) return [];
        try {
          const list: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
          return Array.isArray(list) ? list.filter(isFlash).map(({ kind, text }) => ({ kind, text })) : [];
        } catch {
          return [];
        }
      },
    };
    next();
  };
}

/** Moves queued messages into res.locals for the page being rendered: each is shown once. */
export function flashMessages(req: Request, res: Response, next: NextFunction): void {
  res.locals.flash = [];
  // The enhancing script's JSON answers carry their own message; queued ones wait for a page.
  if (wantsJson(req)) return next();
  res.locals.flash = req.notices.take();
  if (req.session?.flash) {
    res.locals.flash.push(...req.session.flash);
    delete req.session.flash;
  }
  next();
}
