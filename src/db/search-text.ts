// Task search compares a folded copy of each name (tasks.name_search) with a folded search, so
// that it is case-insensitive in every script on SQLite and PostgreSQL alike: SQLite's lower()
// and LIKE fold ASCII only, PostgreSQL's depend on the database's collation. Folding here, in
// one function, makes both databases compare the same text.

/**
 * NFKC (the full-width Ａ and the ligature ﬁ become A and fi), then upper- and lower-casing so
 * that letters whose lower case differs in context meet (ß and SS both become ss, final ς
 * becomes σ). Accents stay: é finds É, not e.
 */
export function searchText(text: string): string {
  return text.normalize('NFKC').toUpperCase().toLowerCase().replace(/ς/g, 'σ');
}

/** The character that makes the next %, _ or \ literal in the LIKE patterns we build. */
export const LIKE_ESCAPE = '\\';

/** A LIKE pattern for "contains `search`", its own %, _ and \ taken literally. */
export function containsPattern(search: string): string {
  return `%${searchText(search).replace(/[\\%_]/g, (c) => LIKE_ESCAPE + c)}%`;
}
