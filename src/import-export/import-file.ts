import { importMessages } from '../messages/import';
import { parseCsvImport } from './csv';
import { parseJsonImport } from './json';
import type { ParsedImport } from './rows';

/**
 * Reads an import file: JSON when it starts with [ or {, CSV otherwise. A file that cannot be
 * read as a whole is an error (nothing is imported); a bad row is refused with its number.
 */
export function parseImport(content: Buffer): ParsedImport {
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
  return first === '[' || first === '{' ? parseJsonImport(text) : parseCsvImport(text);
}
