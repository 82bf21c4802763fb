import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, IMPORTS_PER_WINDOW } from '../limits';
import { countOf, inFigures, tryAgainAfter } from './wording';

// What importing a file says: why a file was refused, what a refused row was, the report.
export const importMessages = {
  importNoFile: 'Choose a JSON or CSV file to import.',
  importTooLarge: `That file is too large to import. The limit is ${Math.round(IMPORT_MAX_BYTES / 1024)} KB.`,
  importBadUpload: 'The upload could not be read. Choose one JSON or CSV file and try again.',
  importNotUtf8: 'The file is not UTF-8 text. Export it again as a UTF-8 JSON or CSV file.',
  importHasNul:
    'The file contains NUL characters, so it is not a text file (a UTF-16 or binary file?). Export it again as a UTF-8 JSON or CSV file. Nothing was imported.',
  importBadJson: (detail: string) =>
    `The JSON file could not be read (${detail}). Check that it is the export's JSON, whole. Nothing was imported.`,
  importJsonShape:
    'The JSON file must hold a list of tasks, each with a "name" (like the export). Nothing was imported.',
  importBadCsv: (detail: string) => `The CSV file could not be read (${detail}). Nothing was imported.`,
  importCsvHeader:
    'The CSV file must start with a header row that has a "name" column (like the export). Nothing was imported.',
  importEmpty: 'The file has no tasks in it. Nothing was imported.',
  importTooManyRows: `The file has more than ${IMPORT_MAX_ROWS.toLocaleString('en')} tasks. Split it and import the parts. Nothing was imported.`,
  importOverQuota: (inFile: number, fit: number, max: number) => {
    const room = fit === 0 ? 'no more fit' : `only ${inFigures(fit)} more ${fit === 1 ? 'fits' : 'fit'}`;
    return `The file has ${inFigures(inFile)} ${inFile === 1 ? 'task' : 'tasks'} to add, but ${room} in your account (it can hold ${inFigures(max)} tasks). Nothing was imported.`;
  },
  tooManyImports: (when: string, minutes: number) =>
    `This account has run ${IMPORTS_PER_WINDOW} imports within the hour, the most it may. Nothing was imported this time; ${tryAgainAfter(when, minutes)}.`,
  imported: (count: number) =>
    count === 0 ? 'No tasks were imported.' : `Imported ${countOf(count, 'task')}.`,
  importRefused: (count: number) => `${countOf(count, 'row was', 'rows were')} refused and not imported:`,
  importMoreRefusals: (count: number) => `…and ${count} more.`,
  rowCompletedInvalid: 'completed must be true or false.',
  rowDateInvalid: (column: string) => `${column} is not a date and time (use the export's format).`,
  rowNotAnObject: 'the task is not an object with a name.',
  rowDueInvalid: 'due is not a date as YYYY-MM-DD (like 2026-12-04).',
  rowPositionInvalid: 'position is not a number (leave it empty to keep the file’s order).',
} as const;
