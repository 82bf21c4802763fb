import fs from 'node:fs';
import path from 'node:path';
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

/** A compiled view: EJS's function body, called with the locals, the escape and our include. */
type View = (locals: object, escapeFn: typeof escapeHtml, include: Include) => string;
type Include = (includePath: string, data?: Record<string, unknown>) => string;

/**
 * Compiles a view as EJS does (strict, rmWhitespace, compileDebug off) into the function EJS
 * would wrap: EJS 7 keeps that function to itself and copies every local into a fresh object for
 * the view and again for each include (the W1 page has 17 includes of about 40 locals each, a
 * tenth of its CPU). Errors name the view instead of quoting its lines.
 */
function compileView(file: string): View {
  const template = new ejs.Template(fs.readFileSync(file, 'utf8'), {
    rmWhitespace: true,
    strict: true,
    compileDebug: false,
    filename: file,
  });
  template.compile(); // fills template.source: the body with its __output and return
  return new Function(
    'locals, escapeFn, include',
    `"use strict";\n${template.source}\n//# sourceURL=${file}`,
  ) as View;
}

/**
 * Express's view engine for .ejs, compiled once per file when `cache`. include('/partials/x',
 * data) works as in EJS (paths from `root`, or relative to the including view; the partial sees
 * its includer's locals with `data` over them), but the locals are not copied: a partial's are
 * an object whose prototype is its includer's, so a partial reads whatever its includer could.
 */
export function ejsEngine(root: string, cache: boolean) {
  const views = new Map<string, View>();
  const load = (file: string): View => {
    let view = views.get(file);
    if (view === undefined) {
      view = compileView(file);
      if (cache) views.set(file, view);
    }
    return view;
  };
  const paths = new Map<string, string>();
  const resolve = (from: string, includePath: string): string => {
    const key = `${from}\0${includePath}`;
    let file = paths.get(key);
    if (file === undefined) {
      file = path.join(includePath.startsWith('/') ? root : path.dirname(from), includePath);
      if (!path.extname(file)) file += '.ejs';
      paths.set(key, file);
    }
    return file;
  };
  function run(file: string, locals: object): string {
    const include: Include = (includePath, data) =>
      run(resolve(file, includePath), data ? Object.assign(Object.create(locals) as object, data) : locals);
    return load(file)(locals, escapeHtml, include);
  }
  return (file: string, locals: object, callback: (err: Error | null, html?: string) => void) => {
    let html: string;
    try {
      html = run(file, locals);
    } catch (err) {
      callback(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    callback(null, html);
  };
}
