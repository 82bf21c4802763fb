import { IMPORT_MAX_ROWS } from '../limits';
import { importMessages } from '../messages/import';
import type { ExportedTask } from '../models/tasks';
import { collectRows, type FileRow, type ParsedImport, type RowRefusal } from './rows';

// Tasks as JSON: the export is a plain list of task objects.

/**
 * The export file, written as its pages of tasks come: the same bytes as
 * `JSON.stringify(tasks, null, 2) + '\n'` of the whole list (a JSON string never holds a raw line
 * break, so indenting each task's own lines by two spaces is exact). The first chunk comes with
 * the first page, so nothing is sent before the first query has succeeded.
 */
export async function* jsonExportChunks(
  pages: AsyncIterable<readonly ExportedTask[]>,
): AsyncGenerator<string> {
  let first = true;
  for await (const page of pages) {
    let chunk = '';
    for (const task of page) {
      chunk += (first ? '[\n  ' : ',\n  ') + JSON.stringify(task, null, 2).replace(/\n/g, '\n  ');
      first = false;
    }
    yield chunk;
  }
  yield first ? '[]\n' : '\n]\n';
}

export function parseJsonImport(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: importMessages.importBadJson((err as Error).message) };
  }
  // The export is a plain list; an object with a "tasks" list is accepted as well.
  const list = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null && Array.isArray((data as { tasks?: unknown }).tasks)
      ? ((data as { tasks: unknown[] }).tasks as unknown[])
      : undefined;
  if (!list) return { ok: false, error: importMessages.importJsonShape };
  if (list.length > IMPORT_MAX_ROWS) return { ok: false, error: importMessages.importTooManyRows };
  const rows: FileRow[] = [];
  const notObjects: RowRefusal[] = [];
  list.forEach((item: unknown, index) => {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
      rows.push({ fields: item as Record<string, unknown>, row: index + 1 });
    } else {
      notObjects.push({ row: index + 1, reason: importMessages.rowNotAnObject });
    }
  });
  return collectRows(rows, notObjects);
}
