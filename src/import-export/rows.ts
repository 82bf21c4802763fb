import { dueDate, taskName } from '../forms/task-forms';
import { IMPORT_MAX_ROWS } from '../limits';
import { importMessages } from '../messages/import';
import type { ImportedTask } from '../models/tasks';

// The rows of an import file, whatever its format: each is validated on its own, so one bad row
// is refused with its number and the others are imported.

export interface RowRefusal {
  row: number;
  reason: string;
}

export type ParsedImport =
  { ok: true; tasks: ImportedTask[]; refused: RowRefusal[] } | { ok: false; error: string };

/** One row of the file: its fields by column name, and its number as the user counts rows. */
export interface FileRow {
  fields: Record<string, unknown>;
  row: number;
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

/** The export's position column: any finite number (only the order matters); none is undefined. */
function parsePosition(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null || value === '') return undefined;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  return Number.isFinite(number) ? number : 'invalid';
}

function validateRow({ fields, row }: FileRow): ImportedTask | RowRefusal {
  const name = taskName.safeParse(fields.name);
  if (!name.success) return { row, reason: name.error.issues[0]?.message ?? 'the name is not valid.' };
  const completed = parseBoolean(fields.completed);
  if (completed === undefined) return { row, reason: importMessages.rowCompletedInvalid };
  const createdAt = parseDate(fields.created_at);
  if (createdAt === 'invalid') return { row, reason: importMessages.rowDateInvalid('created_at') };
  const completedAt = parseDate(fields.completed_at);
  if (completedAt === 'invalid') return { row, reason: importMessages.rowDateInvalid('completed_at') };
  // The same rule as the forms' due field; a missing or empty one is no date.
  const due = dueDate.safeParse(fields.due ?? '');
  if (!due.success) return { row, reason: importMessages.rowDueInvalid };
  const position = parsePosition(fields.position);
  if (position === 'invalid') return { row, reason: importMessages.rowPositionInvalid };
  return {
    name: name.data,
    completed,
    createdAt,
    completedAt: completed ? completedAt : undefined,
    due: due.data,
    position,
  };
}

/**
 * Validates every row; `refusedAlready` are rows the format itself could not read. A file with
 * no rows, or more than IMPORT_MAX_ROWS, is refused whole.
 */
export function collectRows(rows: readonly FileRow[], refusedAlready: RowRefusal[] = []): ParsedImport {
  const total = rows.length + refusedAlready.length;
  if (total === 0) return { ok: false, error: importMessages.importEmpty };
  if (total > IMPORT_MAX_ROWS) return { ok: false, error: importMessages.importTooManyRows };
  const tasks: ImportedTask[] = [];
  const refused = [...refusedAlready];
  for (const row of rows) {
    const result = validateRow(row);
    if ('reason' in result) refused.push(result);
    else tasks.push(result);
  }
  return { ok: true, tasks, refused: refused.sort((a, b) => a.row - b.row) };
}
