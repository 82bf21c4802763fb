import { CsvError, parse } from 'csv-parse/sync';
import { IMPORT_MAX_ROWS } from '../limits';
import { importMessages } from '../messages/import';
import type { ExportedTask } from '../models/tasks';
import { collectRows, type ParsedImport } from './rows';

// Tasks as CSV (RFC 4180), the way spreadsheets read and write it.

export const CSV_COLUMNS = ['name', 'completed', 'created_at', 'completed_at', 'due', 'position'] as const;

/**
 * Spreadsheets run a cell that starts with = + - @ (or tab / carriage return) as a formula.
 * Such a cell gets a leading apostrophe, which spreadsheets hide; a cell that already starts
 * with an apostrophe gets one too, so the importer can always remove exactly one.
 */
const FORMULA_START = /^[=+\-@\t\r']/;

export function neutraliseFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

export function restoreFormula(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, and quotes are doubled. */
export function csvField(value: string): string {
  const cell = neutraliseFormula(value);
  return /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

const csvLine = (task: ExportedTask) =>
  [
    task.name,
    String(task.completed),
    task.created_at,
    task.completed_at ?? '',
    task.due ?? '',
    String(task.position),
  ]
    .map(csvField)
    .join(',') + '\r\n';

export function toCsv(tasks: readonly ExportedTask[]): string {
  return CSV_HEADER + tasks.map(csvLine).join('');
}

/**
 * The export file, written as its pages of tasks come: a byte-order mark (it tells spreadsheets
 * the file is UTF-8; the importer skips it), then the same bytes as toCsv of the whole list. The
 * header goes with the first page, so nothing is sent before the first query has succeeded.
 */
export async function* csvExportChunks(
  pages: AsyncIterable<readonly ExportedTask[]>,
): AsyncGenerator<string> {
  let head = `\uFEFF${CSV_HEADER}`;
  for await (const page of pages) {
    yield head + page.map(csvLine).join('');
    head = '';
  }
  if (head) yield head;
}

/** A file that is not CSV at all, in words for the import page. */
export class CsvFileError extends Error {}

/**
 * Reads RFC 4180 CSV with csv-parse (CRLF, LF or CR line ends, blank lines skipped), at most
 * `maxRecords` records: a larger file is not read to its end. Throws CsvFileError.
 */
export function parseCsv(text: string, maxRecords = Number.MAX_SAFE_INTEGER): string[][] {
  try {
    return parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      to: maxRecords,
    }) as string[][];
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') throw new CsvFileError('a quoted field is never closed');
    const record = Number((err as CsvError & { records?: number }).records ?? 0) + 1;
    if (err.code === 'INVALID_OPENING_QUOTE' || err.code === 'CSV_INVALID_CLOSING_QUOTE') {
      throw new CsvFileError(`a quote in the middle of a field on record ${record}`);
    }
    throw new CsvFileError(`record ${record} cannot be read`);
  }
}

export function parseCsvImport(text: string): ParsedImport {
  let records: string[][];
  try {
    // The header, the most rows a file may have, and one more to tell that there are too many.
    records = parseCsv(text, IMPORT_MAX_ROWS + 2);
  } catch (err) {
    if (err instanceof CsvFileError) return { ok: false, error: importMessages.importBadCsv(err.message) };
    throw err;
  }
  const header = records[0]?.map((h) => h.trim().toLowerCase());
  if (!header?.includes('name')) return { ok: false, error: importMessages.importCsvHeader };
  // Only the known columns are read (found once), so the work is linear in the file whatever
  // its shape: a file of a hundred thousand columns must not hold the event loop for minutes.
  const columns = CSV_COLUMNS.map((column) => ({ column, at: header.indexOf(column) })).filter(
    (c) => c.at >= 0,
  );
  // Spreadsheet numbering: the header is row 1, so the first task is row 2.
  const rows = records.slice(1).map((record, index) => {
    const fields: Record<string, unknown> = {};
    for (const { column, at } of columns) {
      const cell = record[at];
      fields[column] = cell === undefined ? undefined : restoreFormula(cell);
    }
    return { fields, row: index + 2 };
  });
  return collectRows(rows);
}
