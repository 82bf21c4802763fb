import type { NextFunction, Request, Response } from 'express';
import { wantsJson } from './wants-json';

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
  /** A task that was just deleted and can be put back. */
  undoTaskId?: number;
}

export function flash(req: Request, kind: Flash['kind'], text: string, extra: Partial<Flash> = {}): void {
  const list = req.session.flash ?? [];
  list.push({ kind, text, ...extra });
  req.session.flash = list;
}

/** Moves queued messages into res.locals for the page being rendered: each is shown once. */
export function flashMessages(req: Request, res: Response, next: NextFunction): void {
  res.locals.flash = [];
  // The enhancing script's JSON answers carry their own message; queued ones wait for a page.
  if (req.session.flash && !wantsJson(req)) {
    res.locals.flash = req.session.flash;
    delete req.session.flash;
  }
  next();
}
