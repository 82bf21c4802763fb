import { describe, expect, it } from 'vitest';
import { csvExportChunks, toCsv } from '../../src/import-export/csv';
import { jsonExportChunks } from '../../src/import-export/json';
import type { ExportedTask } from '../../src/models/tasks';

const tasks: ExportedTask[] = Array.from({ length: 7 }, (_, i) => ({
  name: ['plain', 'say "hi"', 'a, b', '=1+1', 'ünï 😀', '\\ back', `task ${i}`][i]!,
  completed: i % 2 === 1,
  created_at: `2026-01-0${i + 1}T10:00:00.000Z`,
  completed_at: i % 2 === 1 ? `2026-02-0${i + 1}T10:00:00.000Z` : null,
  due: i % 3 === 0 ? `2026-03-0${i + 1}` : null,
  position: i + 0.5,
}));

async function* pagesOf(list: ExportedTask[], size: number) {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

async function collect(chunks: AsyncIterable<string>): Promise<{ text: string; count: number }> {
  let text = '';
  let count = 0;
  for await (const chunk of chunks) {
    text += chunk;
    count++;
  }
  return { text, count };
}

describe('the export files, written a page at a time', () => {
  it('writes exactly the bytes of JSON.stringify(tasks, null, 2) for any page size', async () => {
    for (const size of [1, 2, 3, 7, 100]) {
      const { text } = await collect(jsonExportChunks(pagesOf(tasks, size)));
      expect(text, `pages of ${size}`).toBe(JSON.stringify(tasks, null, 2) + '\n');
    }
    expect((await collect(jsonExportChunks(pagesOf([], 3)))).text).toBe('[]\n');
  });

  it('writes the byte-order mark, the header and the rows as one CSV, for any page size', async () => {
    for (const size of [1, 3, 100]) {
      const { text } = await collect(csvExportChunks(pagesOf(tasks, size)));
      expect(text, `pages of ${size}`).toBe(`\uFEFF${toCsv(tasks)}`);
    }
    expect((await collect(csvExportChunks(pagesOf([], 3)))).text).toBe(
      '\uFEFFname,completed,created_at,completed_at,due,position\r\n',
    );
  });

  it('sends nothing before the first page: the header comes with it', async () => {
    const { count } = await collect(csvExportChunks(pagesOf(tasks, 3)));
    expect(count).toBe(3);
    expect((await collect(jsonExportChunks(pagesOf(tasks, 3)))).count).toBe(4); // 3 pages and the closing ]
  });
});
