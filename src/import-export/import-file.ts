import { importMessages } from '../messages/import';
import { parseCsvImport } from './csv';
import { parseJsonImport } from './json';
import type { ParsedImport } from './rows';

export type ImportFormat = 'json' | 'csv';

/**
 * The format a file says it is: its name's extension first (what the user chose to upload), then
 * the type the browser sent; undefined when neither says (the content decides then).
 */
export function formatOf(file: { originalname?: string; mimetype?: string }): ImportFormat | undefined {
  const extension = /\.([a-z0-9]+)$/i.exec(file.originalname ?? '')?.[1]?.toLowerCase();
  if (extension === 'json') return 'json';
  if (extension === 'csv') return 'csv';
  const type = (file.mimetype ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'text/csv') return 'csv';
  return undefined;
}

/**
 * Reads an import file as the format it says it is (see formatOf), so a broken .json gets a
 * JSON error rather than a CSV one; a file that does not say is JSON when it starts with [ or {,
 * CSV otherwise. A file that cannot be read as a whole is an error (nothing is imported); a bad
 * row is refused with its number.
 */
export function parseImport(content: Buffer, format?: ImportFormat): ParsedImport {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { ok: false, error: importMessages.importNotUtf8 };
  }
  // Valid UTF-8 yet never text: UTF-16 files are full of NULs (and PostgreSQL cannot store one).
  if (text.includes('\u0000')) return { ok: false, error: importMessages.importHasNul };
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: importMessages.importEmpty };
  const first = text.trimStart()[0];
  const json = format ? format === 'json' : first === '[' || first === '{';
  return json ? parseJsonImport(text) : parseCsvImport(text);
}
