import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ejs from 'ejs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/http/views';
import { viewsDir } from '../../src/paths';

// The views are compiled in strict mode, without `with (locals)` (src/http/views.ts): a name a
// view reads without declaring it from `locals` would throw a ReferenceError, but only when
// that branch of the view runs. So every view is compiled here and checked for such names.

function viewFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return viewFiles(full);
    return entry.name.endsWith('.ejs') ? [full] : [];
  });
}

/** The names a compiled view reads that are neither declared in it nor JavaScript's own. */
function undeclaredNames(file: string): string[] {
  const template = new ejs.Template(fs.readFileSync(file, 'utf8'), {
    strict: true,
    rmWhitespace: true,
    root: viewsDir,
    filename: file,
  });
  template.compile(); // fills template.source: the body EJS wraps in a function of these parameters
  // With compileDebug (the default) EJS declares the line counter around the body.
  const code = `function view(locals, escapeFn, include, rethrow) {\n  let __line = 1;\n${template.source}\n}`;
  const messages = new Linter().verify(code, {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: {
        JSON: 'readonly',
        String: 'readonly',
        Number: 'readonly',
        Boolean: 'readonly',
        Math: 'readonly',
        Object: 'readonly',
        Array: 'readonly',
        encodeURIComponent: 'readonly',
      },
    },
    rules: { 'no-undef': 'error' },
  });
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return messages.map((message) => /'(.+)'/.exec(message.message)?.[1] ?? message.message);
}

describe('the views', () => {
  const files = viewFiles(viewsDir);

  it('are all found', () => {
    expect(files.map((file) => path.relative(viewsDir, file))).toContain(
      path.join('partials', 'task-items.ejs'),
    );
  });

  it.each(files.map((file) => [path.relative(viewsDir, file), file]))(
    '%s reads only the locals it declares',
    (_name, file) => {
      expect(undeclaredNames(file)).toEqual([]);
    },
  );

  it('would catch a view that reads a name it did not declare', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gid-views-'));
    try {
      const file = path.join(dir, 'bad.ejs');
      fs.writeFileSync(file, '<% const { title } = locals; -%><h1><%= title %> <%= subtitle %></h1>');
      expect(undeclaredNames(file)).toEqual(['subtitle']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('escapeHtml, what <%= %> writes', () => {
  it('escapes exactly as EJS does', () => {
    const samples = [
      'plain',
      '<b>"Tom" & \'Jerry\'</b>',
      '',
      'é 𝄞 ‮',
      42,
      0,
      -1.5,
      null,
      undefined,
      true,
      { toString: () => '<x>' },
    ];
    for (const sample of samples) expect(escapeHtml(sample)).toBe(ejs.escapeXML(sample as string));
  });
});
