import { describe, expect, it } from 'vitest';
import { importMessages } from '../../src/messages/import';
import { COMMON_PASSWORD_COUNT, isCommonPassword } from '../../src/forms/common-passwords';
import { loadConfig } from '../../src/config';
import { IMPORT_MAX_ROWS } from '../../src/limits';
import { csvField, parseCsv, restoreFormula, toCsv } from '../../src/import-export/csv';
import { parseImport } from '../../src/import-export/import-file';
import type { ExportedTask } from '../../src/models/tasks';

describe('the common-password list', () => {
  it('holds 10,000 passwords and matches them in any letter case', () => {
    expect(COMMON_PASSWORD_COUNT).toBe(10_000);
    for (const pw of ['123456', 'password', 'Password', 'QWERTY123', 'iloveyou', 'trustno1', 'sunshine']) {
      expect(isCommonPassword(pw), pw).toBe(true);
    }
    for (const pw of ['correct horse battery', 'a brand new sentence', 'password ']) {
      expect(isCommonPassword(pw), pw).toBe(false);
    }
  });
});

describe('CSV cells', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('neutralises cells that start like a formula, and the apostrophe that marks them', () => {
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\rx')).toBe('"\'\rx"');
    expect(csvField("'x")).toBe("''x");
    expect(csvField('a=b')).toBe('a=b');
    for (const cell of ['=1+1', '+1', '-1', '@x', "'x", "''x", 'plain', '\tx']) {
      expect(restoreFormula(csvField(cell).replace(/^"|"$/g, ''))).toBe(cell);
    }
  });

  it('parses what it writes, with CRLF or LF line ends and quoted line breaks', () => {
    const cells = ['a,b', 'say "hi"', 'two\r\nlines', '', 'last'];
    const line = cells.map(csvField).join(',');
    expect(parseCsv(`h1,h2,h3,h4,h5\r\n${line}\r\n`)).toEqual([['h1', 'h2', 'h3', 'h4', 'h5'], cells]);
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a\n\nb\n')).toEqual([['a'], ['b']]);
    expect(() => parseCsv('"open')).toThrow(/never closed/);
    expect(() => parseCsv('ab"c')).toThrow(/quote in the middle/);
  });
});

describe('reading an import file', () => {
  const tasks: ExportedTask[] = [
    {
      name: '=cmd',
      completed: true,
      created_at: '2026-01-01T00:00:00.000Z',
      completed_at: '2026-01-02T00:00:00.000Z',
      due: '2026-02-28',
      position: 2.5,
    },
    {
      name: 'b, "c"',
      completed: false,
      created_at: '2026-01-03T00:00:00.000Z',
      completed_at: null,
      due: null,
      position: 7,
    },
  ];

  it('reads back an export exactly', () => {
    const parsed = parseImport(Buffer.from(toCsv(tasks)));
    expect(parsed).toEqual({
      ok: true,
      refused: [],
      tasks: [
        {
          name: '=cmd',
          completed: true,
          createdAt: new Date('2026-01-01T00:00:00.000Z'),
          completedAt: new Date('2026-01-02T00:00:00.000Z'),
          due: '2026-02-28',
          position: 2.5,
        },
        {
          name: 'b, "c"',
          completed: false,
          createdAt: new Date('2026-01-03T00:00:00.000Z'),
          completedAt: undefined,
          due: null,
          position: 7,
        },
      ],
    });
    expect(parseImport(Buffer.from(JSON.stringify(tasks)))).toEqual(parsed);
    expect(parseImport(Buffer.from(JSON.stringify({ tasks })))).toEqual(parsed);
  });

  it('accepts a byte-order mark and a header in any order or letter case', () => {
    const parsed = parseImport(Buffer.from('\uFEFFCompleted,NAME\ntrue,x\n'));
    expect(parsed).toMatchObject({ ok: true, tasks: [{ name: 'x', completed: true }] });
  });

  it('refuses a whole file with too many rows', () => {
    const csv = 'name\n' + 'x\n'.repeat(IMPORT_MAX_ROWS + 1);
    expect(parseImport(Buffer.from(csv))).toEqual({ ok: false, error: importMessages.importTooManyRows });
  });

  it('reads only the known columns of a very wide file, and counts rows before reading them', () => {
    const wide = `name,${Array.from({ length: 20_000 }, (_, i) => `extra${i}`).join(',')}\n`;
    expect(parseImport(Buffer.from(wide + 'x\n'.repeat(IMPORT_MAX_ROWS + 1)))).toEqual({
      ok: false,
      error: importMessages.importTooManyRows,
    });
    expect(parseImport(Buffer.from(wide + 'kept\n'))).toMatchObject({ ok: true, tasks: [{ name: 'kept' }] });
  });

  it('refuses a JSON list longer than the row limit, whatever its items', () => {
    const list = JSON.stringify(Array.from({ length: IMPORT_MAX_ROWS + 1 }, () => null));
    expect(parseImport(Buffer.from(list))).toEqual({ ok: false, error: importMessages.importTooManyRows });
  });

  it('refuses dates that are not dates', () => {
    const parsed = parseImport(Buffer.from('name,created_at\nx,2026-13-45T99:00:00Z\ny,2026-02-30\n'));
    expect(parsed).toMatchObject({
      ok: true,
      tasks: [],
      refused: [
        { row: 2, reason: importMessages.rowDateInvalid('created_at') },
        { row: 3, reason: importMessages.rowDateInvalid('created_at') },
      ],
    });
  });
});

describe('throttling configuration', () => {
  it('has the documented defaults and reads the environment', () => {
    expect(loadConfig({}).throttle).toEqual({
      windowMs: 15 * 60 * 1000,
      loginFailuresPerEmail: 10,
      loginFailuresPerIp: 50,
      registrationsPerIp: 20,
    });
    const custom = loadConfig({
      THROTTLE_WINDOW_MINUTES: '5',
      LOGIN_MAX_FAILURES_PER_EMAIL: '3',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      REGISTER_MAX_PER_IP: '500',
    }).throttle;
    expect(custom).toEqual({
      windowMs: 5 * 60 * 1000,
      loginFailuresPerEmail: 3,
      loginFailuresPerIp: 1000,
      registrationsPerIp: 500,
    });
    expect(() => loadConfig({ LOGIN_MAX_FAILURES_PER_IP: '0' })).toThrow(/LOGIN_MAX_FAILURES_PER_IP/);
  });
});
