import { expectIndexedPlan, planOf } from '../helpers/query-plans';
import { useMigratedDb } from '../helpers/test-app';
import { expect, it } from 'vitest';
import { addTask, completeTask, countTasks, listTasks } from '../../src/models/tasks';
import { findUserForSession } from '../../src/models/users';
import { createUser } from '../../src/models/users';

const fresh = useMigratedDb();

it('every query the home page runs (first and later pages) uses an index, none sorts what it read', async () => {
  const owner = (await createUser(fresh.db, { email: 'big@example.com', passwordHash: 'h' }))!.id;
  for (let i = 0; i < 120; i++) {
    const task = (await addTask(fresh.db, owner, `Task ${i}`, 10_000))!;
    if (i % 2) await completeTask(fresh.db, owner, task.id);
  }
  const queries: { sql: string; bindings: readonly unknown[] }[] = [];
  const record = (q: { sql: string; bindings?: readonly unknown[] }) =>
    queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
  fresh.db.on('query', record);
  // What GET / (and its "Show the next …" pages) runs after the session: the user, counts, two sections.
  await findUserForSession(fresh.db, owner, Date.now());
  await countTasks(fresh.db, owner);
  const open = await listTasks(fresh.db, owner, { completed: false, limit: 50 });
  await listTasks(fresh.db, owner, { completed: true, limit: 50 });
  await listTasks(fresh.db, owner, { completed: false, limit: 50, afterId: open.nextAfterId });
  fresh.db.off('query', record);

  expect(queries).toHaveLength(5);
  for (const { sql, bindings } of queries) expectIndexedPlan(await planOf(fresh.db, sql, bindings), sql);
});
