import type { Response } from 'express';

/** res.render as a promise of the HTML (res.locals included), for fragments sent inside JSON. */
export function renderToString(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });
}
