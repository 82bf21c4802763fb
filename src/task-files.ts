import { accountMessages } from './account-messages';
import { IMPORT_MAX_ROWS } from './limits';
import { taskName } from './forms/task-forms';

/** A task as it appears in an export file (and as an import file may give it). */
export interface ExportedTask {
  name: string;
  completed: boolean;
  created_at: string;
  completed_at: string | null;
}

/** A row of an import file that passed validation, ready to insert. */
export interface ImportedTask {
  name: string;
  completed: boolean;
  createdAt: Date | undefined;
  completedAt: Date | undefined;
}

export interface RowRefusal {
  row: number;
  reason: string;
}

export type ParsedImport =
  { ok: true; tasks: ImportedTask[]; refused: RowRefusal[] } | { ok: false; error: string };

export const CSV_COLUMNS = ['name', 'completed', 'created_at', 'completed_at'] as const;

// ---------------------------------------------------------------------------------------------
// Export

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

export function toCsv(tasks: readonly ExportedTask[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const task of tasks) {
    lines.push(
      [task.name, String(task.completed), task.created_at, task.completed_at ?? ''].map(csvField).join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

export function toJson(tasks: readonly ExportedTask[]): string {
  return JSON.stringify(tasks, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------------
// Import

class FileError extends Error {}

/** Parses RFC 4180 CSV (CRLF or LF line ends). Throws FileError on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else if (ch === '"') {
      throw new FileError(`a quote in the middle of a field on record ${records.length + 1}`);
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new FileError('a quoted field is never closed');
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  // Blank lines (a lone empty field) carry no task.
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

function parseBoolean(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (['true', 'yes', '1'].includes(word)) return true;
  if (['false', 'no', '0'].includes(word)) return false;
  return undefined;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date-time (the export's format) or SQLite's "YYYY-MM-DD HH:MM:SS" (taken as UTC). */
function parseDate(value: unknown): Date | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  const raw = typeof value === 'string' ? value.trim() : '';
  const match = DATE_TIME.exec(raw);
  if (!match) return 'invalid';
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0)) as number[];
  // Date would quietly roll 30 February over to March: check the calendar first.
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  if (
    month! < 1 ||
    month! > 12 ||
    day! < 1 ||
    day! > daysInMonth ||
    hour! > 23 ||
    minute! > 59 ||
    second! > 59
  ) {
    return 'invalid';
  }
  let text = raw.replace(' ', 'T');
  if (!match[4]) text += 'T00:00:00';
  if (!match[7]) text += 'Z';
  const date = new Date(text);
  const y = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || y < 1970 || y > 9999 ? 'invalid' : date;
}

function validateRow(fields: Record<string, unknown>, row: number): ImportedTask | RowRefusal {
  const name = taskName.safeParse(fields.name);
  if (!name.success) return { row, reason: name.error.issues[0]?.message ?? 'the name is not valid.' };
  const completed = parseBoolean(fields.completed);
  if (completed === undefined) return { row, reason: accountMessages.rowCompletedInvalid };
  const createdAt = parseDate(fields.created_at);
  if (createdAt === 'invalid') return { row, reason: accountMessages.rowDateInvalid('created_at') };
  const completedAt = parseDate(fields.completed_at);
  if (completedAt === 'invalid') return { row, reason: accountMessages.rowDateInvalid('completed_at') };
  return { name: name.data, completed, createdAt, completedAt: completed ? completedAt : undefined };
}

function collect(rows: { fields: Record<string, unknown>; row: number }[]): ParsedImport {
  if (rows.length === 0) return { ok: false, error: accountMessages.importEmpty };
  if (rows.length > IMPORT_MAX_ROWS) return { ok: false, error: accountMessages.importTooManyRows };
  const tasks: ImportedTask[] = [];
  const refused: RowRefusal[] = [];
  for (const { fields, row } of rows) {
    const result = validateRow(fields, row);
    if ('reason' in result) refused.push(result);
    else tasks.push(result);
  }
  return { ok: true, tasks, refused };
}

function parseJsonImport(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: accountMessages.importBadJson((err as Error).message) };
  }
  // The export is a plain list; an object with a "tasks" list is accepted as well.
  const list = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null && Array.isArray((data as { tasks?: unknown }).tasks)
      ? ((data as { tasks: unknown[] }).tasks as unknown[])
      : undefined;
  if (!list) return { ok: false, error: accountMessages.importJsonShape };
  if (list.length > IMPORT_MAX_ROWS) return { ok: false, error: accountMessages.importTooManyRows };
  const rows: { fields: Record<string, unknown>; row: number }[] = [];
  const refusedShape: RowRefusal[] = [];
  list.forEach((item, index) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      rows.push({ fields: item as Record<string, unknown>, row: index + 1 });
    } else {
      refusedShape.push({ row: index + 1, reason: accountMessages.rowNotAnObject });
    }
  });
  if (list.length === 0) return { ok: false, error: accountMessages.importEmpty };
  const result = rows.length ? collect(rows) : ({ ok: true, tasks: [], refused: [] } as ParsedImport);
  if (!result.ok) return result;
  return {
    ok: true,
    tasks: result.tasks,
    refused: [...refusedShape, ...result.refused].sort((a, b) => a.row - b.row),
  };
}

function parseCsvImport(text: string): ParsedImport {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof FileError) return { ok: false, error: accountMessages.importBadCsv(err.message) };
    throw err;
  }
  const header = records[0]?.map((h) => h.trim().toLowerCase());
  if (!header?.includes('name')) return { ok: false, error: accountMessages.importCsvHeader };
  // Refuse an oversized file before touching its rows, and read only the known columns (found
  // once), so the work is linear in the file whatever its shape: a file of a hundred thousand
  // columns and rows must not hold the event loop for minutes.
  if (records.length - 1 > IMPORT_MAX_ROWS) return { ok: false, error: accountMessages.importTooManyRows };
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
  return collect(rows);
}

/**
 * Reads an import file: JSON when it starts with [ or {, CSV otherwise. A file that cannot be
 * read as a whole is an error (nothing is imported); a bad row is refused with its number.
 */
export function parseImport(content: Buffer): ParsedImport {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return { ok: false, error: accountMessages.importNotUtf8 };
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.trim() === '') return { ok: false, error: accountMessages.importEmpty };
  const first = text.trimStart()[0];
  return first === '[' || first === '{' ? parseJsonImport(text) : parseCsvImport(text);
}
