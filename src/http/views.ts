import ejs from 'ejs';

// How the EJS views are compiled and rendered.
//
// strict (and so no `with (locals)`): inside EJS's default with-block every name the compiled
// template uses, its own helpers included, is looked up on the locals object first; a 100-row
// list cost about 0.8 ms to build that way and 0.1 ms without it. So each view names what it
// reads on its first line, `<% const { tasks, editing } = locals; -%>`, like a function's
// parameters (test/unit/views.test.ts checks that no view reads a name it did not declare).

const HTML_SPECIAL = /[&<>'"]/;
const HTML_SPECIALS = /[&<>'"]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};

/**
 * What `<%= %>` writes: EJS's own escaping, character for character (`&<>"'` as entities, null
 * and undefined as nothing), with the common cases cut short: a number needs no escaping, and
 * text without a special character is returned as it is instead of being copied by replace().
 */
export function escapeHtml(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === undefined || value === null) return '';
  const text = String(value);
  return HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIALS, (char) => ENTITIES[char]!) : text;
}

/** Express's view engine for .ejs: compiled once per file when `cache`, includes from `root`. */
export function ejsEngine(root: string, cache: boolean) {
  // EJS 7 no longer reads Express's 'view options', so its options are given here. rmWhitespace
  // drops the indentation (no view has <pre> or <textarea>); root makes include('/partials/…')
  // resolve without a filesystem check.
  const options: ejs.Options = { cache, rmWhitespace: true, root, strict: true, escape: escapeHtml };
  return (file: string, locals: ejs.Data, callback: (err: Error | null, html?: string) => void) =>
    ejs.renderFile(file, locals, options, callback);
}
