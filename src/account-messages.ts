import { IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from './limits';

// Every sentence the account pages, the password rules and the throttling show, kept apart
// from messages.ts so the account feature reads as one unit.
export const accountMessages = {
  passwordCommon:
    'That password is one of the 10,000 most common passwords, so it would be guessed quickly. Choose another; a short sentence works well.',
  passwordIsEmail: 'Your password cannot be your email address.',
  currentPasswordRequired: 'Enter your current password.',
  currentPasswordWrong: 'That is not your current password.',
  passwordChanged: 'Your password has been changed. Any other devices have been logged out.',
  deletePasswordWrong: 'That is not your password, so nothing was deleted.',
  accountDeleted: 'Your account and all your tasks have been deleted. Goodbye!',
  importNoFile: 'Choose a JSON or CSV file to import.',
  importTooLarge: `That file is too large to import. The limit is ${Math.round(IMPORT_MAX_BYTES / 1024)} KB.`,
  importBadUpload: 'The upload could not be read. Choose one JSON or CSV file and try again.',
  importNotUtf8: 'The file is not UTF-8 text. Export it again as a UTF-8 JSON or CSV file.',
  importBadJson: (detail: string) =>
    `The file looks like JSON but could not be read (${detail}). Nothing was imported.`,
  importJsonShape:
    'The JSON file must hold a list of tasks, each with a "name" (like the export). Nothing was imported.',
  importBadCsv: (detail: string) => `The CSV file could not be read (${detail}). Nothing was imported.`,
  importCsvHeader:
    'The CSV file must start with a header row that has a "name" column (like the export). Nothing was imported.',
  importEmpty: 'The file has no tasks in it. Nothing was imported.',
  importTooManyRows: `The file has more than ${IMPORT_MAX_ROWS.toLocaleString('en')} tasks. Split it and import the parts. Nothing was imported.`,
  imported: (count: number) =>
    count === 0 ? 'No tasks were imported.' : `Imported ${count} ${count === 1 ? 'task' : 'tasks'}.`,
  importRefused: (count: number) =>
    `${count} ${count === 1 ? 'row was' : 'rows were'} refused and not imported:`,
  importMoreRefusals: (count: number) => `…and ${count} more.`,
  rowCompletedInvalid: 'completed must be true or false.',
  rowDateInvalid: (column: string) => `${column} is not a date and time (use the export's format).`,
  rowNotAnObject: 'the task is not an object with a name.',
  tooManyLogins: (when: string, minutes: number) =>
    `Too many failed log-in attempts. For your safety, try again after ${when} (in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}).`,
  tooManyPasswordChecks: (when: string, minutes: number) =>
    `Too many wrong passwords. For your safety, try again after ${when} (in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}).`,
  tooManyRegistrations: (when: string, minutes: number) =>
    `Too many accounts were created from your network. Try again after ${when} (in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}).`,
} as const;
