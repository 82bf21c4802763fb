import { expectIndexedPlan, planOf } from '../helpers/query-plans';
import { useMigratedDb } from '../helpers/test-app';
import { expect, it } from 'vitest';
import { addDays } from '../../src/dates/calendar';
import {
  countTasks,
  countView,
  firstPagesWithCounts,
  listTaskPage,
  type TaskView,
} from '../../src/models/task-lists';
import { addTask, completeTask } from '../../src/models/tasks';
import { findUserForSession } from '../../src/models/users';
import { createUser } from '../../src/models/users';

const fresh = useMigratedDb();
const TODAY = '2026-12-01';

/** A user with `count` tasks: every other one completed, two in three due within ten days of TODAY. */
async function userWithTasks(email: string, count: number): Promise<number> {
  const owner = (await createUser(fresh.db, { email, passwordHash: 'h' }))!.id;
  for (let i = 0; i < count; i++) {
    const task = (await addTask(fresh.db, owner, `Task ${i}`, 10_000, {
      due: i % 3 ? addDays(TODAY, (i % 20) - 10) : null,
    }))!;
    if (i % 2) await completeTask(fresh.db, owner, task.id);
  }
  return owner;
}

it('every query the home page runs (first and later pages, every filter) uses an index, none sorts what it read', async () => {
  const owner = await userWithTasks('big@example.com', 240);
  const queries: { sql: string; bindings: readonly unknown[] }[] = [];
  const record = (q: { sql: string; bindings?: readonly unknown[] }) =>
    queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  fresh.db.on('query', record);
  // What GET / runs after the session: the user, the counts, one query per section.
  await findUserForSession(fresh.db, owner, Date.now());
  await countTasks(fresh.db, owner, TODAY);
  const views: TaskView[] = [
    { kind: 'open' },
    { kind: 'completed' },
    { kind: 'today', today: TODAY },
    { kind: 'upcoming' },
  ];
  const firstPages = [];
  for (const view of views) firstPages.push(await listTaskPage(fresh.db, owner, view, { limit: 50 }));
  expect(queries).toHaveLength(3 + views.length); // the user, two counts, a page per view
  // The usual GET / (first pages, no search): the counts and the pages in one statement.
  const before = queries.length;
  await firstPagesWithCounts(fresh.db, owner, TODAY, views.slice(0, 2), 50);
  expect(queries).toHaveLength(before + 1);
  // A search: each section's page and its count of matches.
  for (const view of views) {
    await listTaskPage(fresh.db, owner, { ...view, search: 'task 1' }, { limit: 50 });
    await countView(fresh.db, owner, { ...view, search: 'task 1' });
  }
  // Later pages ("Show the next …" and back): the cursor task by id, a count, the page.
  for (const [i, view] of views.entries()) {
    const next = await listTaskPage(fresh.db, owner, view, {
      limit: 20,
      afterId: firstPages[i]!.tasks[30]!.id,
    });
    await listTaskPage(fresh.db, owner, view, { limit: 20, beforeId: next.tasks[10]!.id });
  }
  fresh.db.off('query', record);

  for (const { sql, bindings } of queries) expectIndexedPlan(await planOf(fresh.db, sql, bindings), sql);
});

it('the one-statement first pages and counts are what the separate queries give, for every view', async () => {
  const owner = await userWithTasks('fold@example.com', 130);
  const other = (await createUser(fresh.db, { email: 'other@example.com', passwordHash: 'h' }))!.id;
  await addTask(fresh.db, other, 'Not yours', 10_000, { due: TODAY });
  // A name that JSON must escape, which comes back as it was written.
  await addTask(fresh.db, owner, 'Say "hi" \\ to C:\\tmp, tab\there, 🎉 <b>&amp;</b>', 10_000, {
    due: TODAY,
  });
  // Reordered, so that the user's order differs from the ids'.
  await fresh
    .db('tasks')
    .where('owner_id', owner)
    .update({ position: fresh.db.raw('(id * 37) % 101') });
  const views: TaskView[][] = [
    [{ kind: 'open' }, { kind: 'completed' }],
    [{ kind: 'open' }],
    [{ kind: 'completed' }],
    [{ kind: 'today', today: TODAY }],
    [{ kind: 'upcoming' }],
  ];
  const counts = await countTasks(fresh.db, owner, TODAY);
  expect(counts).toEqual({
    open: 66,
    completed: 65,
    today: expect.any(Number),
    upcoming: expect.any(Number),
  });
  expect(counts.today).toBeGreaterThan(0);
  for (const set of views) {
    const folded = await firstPagesWithCounts(fresh.db, owner, TODAY, set, 50);
    expect(folded.counts).toEqual(counts);
    for (const [i, view] of set.entries()) {
      const page = await listTaskPage(fresh.db, owner, view, { limit: 50 });
      expect(folded.pages[i]).toEqual(page);
    }
  }
  const [today] = (await firstPagesWithCounts(fresh.db, owner, TODAY, [{ kind: 'today', today: TODAY }], 50))
    .pages;
  expect(today!.tasks.map((task) => task.name)).toContain(
    'Say "hi" \\ to C:\\tmp, tab\there, 🎉 <b>&amp;</b>',
  );
  // An account with nothing: zero counts and empty pages.
  const empty = (await createUser(fresh.db, { email: 'empty@example.com', passwordHash: 'h' }))!.id;
  const none = await firstPagesWithCounts(fresh.db, empty, TODAY, views[0]!, 50);
  expect(none.counts).toEqual({ open: 0, completed: 0, today: 0, upcoming: 0 });
  expect(none.pages.map((page) => page.tasks)).toEqual([[], []]);
});
