import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/knex';
import { expectIndexedPlan, planOf } from '../helpers/query-plans';
import { createMigratedDb } from '../helpers/test-app';
import {
  addTask,
  completeTask,
  deleteTask,
  findTask,
  editTask,
  importTasks,
  reopenTask,
  restoreTask,
} from '../../src/models/tasks';
import { countTasks, listTaskPage, type TaskView } from '../../src/models/task-lists';
import { clearCompletedTasks, completeAllTasks, undoBulkAction } from '../../src/models/task-undo';
import { createUser, findUserByEmail } from '../../src/models/users';

const OPEN: TaskView = { kind: 'open' };
const COMPLETED: TaskView = { kind: 'completed' };
const TODAY = '2026-12-01';

let db: Knex;
let alice: number;
let bob: number;

beforeEach(async () => {
  db = await createMigratedDb();
  alice = (await createUser(db, { email: 'alice@example.com', passwordHash: 'h' }))!.id;
  bob = (await createUser(db, { email: 'bob@example.com', passwordHash: 'h' }))!.id;
});
afterEach(async () => {
  await db.destroy();
});

const QUOTA = 10_000;
/** Adds a task well within the quota. */
const add = async (owner: number, name: string) => (await addTask(db, owner, name, QUOTA))!;

describe('users', () => {
  it('treats emails case-insensitively and refuses duplicates', async () => {
    expect(await createUser(db, { email: ' ALICE@example.com', passwordHash: 'h' })).toBeUndefined();
    expect((await findUserByEmail(db, 'Alice@Example.com'))?.id).toBe(alice);
  });
});

describe('tasks belong to their owner', () => {
  it('no task function touches another owner’s task', async () => {
    const task = await add(alice, 'Alice’s');
    expect(await completeTask(db, bob, task.id)).toBeUndefined();
    expect(await reopenTask(db, bob, task.id)).toBeUndefined();
    expect(await editTask(db, bob, task.id, { name: 'hacked' })).toBe(false);
    expect(await deleteTask(db, bob, task.id)).toBeUndefined();
    expect(await completeAllTasks(db, bob)).toEqual({ count: 0, undoId: undefined });
    await completeTask(db, alice, task.id);
    expect(await clearCompletedTasks(db, bob)).toEqual({ count: 0, undoId: undefined });
    const cleared = await clearCompletedTasks(db, alice);
    expect(await undoBulkAction(db, bob, cleared.undoId!)).toBeUndefined();
    expect(await undoBulkAction(db, alice, cleared.undoId!)).toEqual({ kind: 'clear-completed', count: 1 });
    expect((await listTaskPage(db, bob, COMPLETED, { limit: 10 })).tasks).toEqual([]);
    expect((await listTaskPage(db, alice, COMPLETED, { limit: 10 })).tasks.map((t) => t.name)).toEqual([
      'Alice’s',
    ]);
    // A cursor of another owner's task is no cursor: the first page.
    expect((await listTaskPage(db, bob, COMPLETED, { limit: 10, afterId: task.id })).start).toBe(1);
  });

  it('a restored task cannot be moved to another owner', async () => {
    const task = await add(alice, 'Alice’s');
    const row = (await deleteTask(db, alice, task.id))!;
    expect(await restoreTask(db, bob, row)).toBe(false);
    expect(await restoreTask(db, alice, row)).toBe(true);
    expect((await listTaskPage(db, alice, OPEN, { limit: 10 })).tasks[0]).toMatchObject({
      id: task.id,
      name: 'Alice’s',
    });
  });

  it('counts and pages tasks, forwards and back', async () => {
    for (let i = 1; i <= 8; i++) await add(alice, `t${i}`);
    await completeTask(db, alice, (await listTaskPage(db, alice, OPEN, { limit: 1 })).tasks[0]!.id);
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 7, completed: 1, today: 0, upcoming: 0 });
    const names = (page: { tasks: { name: string }[] }) => page.tasks.map((t) => t.name);
    const first = await listTaskPage(db, alice, OPEN, { limit: 3 });
    expect(names(first)).toEqual(['t2', 't3', 't4']);
    expect(first).toMatchObject({ start: 1, previous: undefined });
    const second = await listTaskPage(db, alice, OPEN, { limit: 3, afterId: first.nextAfterId });
    expect(names(second)).toEqual(['t5', 't6', 't7']);
    expect(second).toMatchObject({ start: 4, previous: 'first' });
    const third = await listTaskPage(db, alice, OPEN, { limit: 3, afterId: second.nextAfterId });
    expect(names(third)).toEqual(['t8']);
    expect(third).toMatchObject({
      start: 7,
      nextAfterId: undefined,
      previous: { beforeId: third.tasks[0]!.id },
    });
    const back = await listTaskPage(db, alice, OPEN, { limit: 3, beforeId: third.tasks[0]!.id });
    expect(names(back)).toEqual(['t5', 't6', 't7']);
    expect(back).toMatchObject({ start: 4, previous: 'first', nextAfterId: back.tasks[2]!.id });
    // Back from the middle: the three before, and a way back to the start.
    const middle = await listTaskPage(db, alice, OPEN, { limit: 3, beforeId: second.tasks[1]!.id });
    expect(names(middle)).toEqual(['t3', 't4', 't5']);
    expect(middle).toMatchObject({ start: 2, previous: 'first' });
    // Back to a page's worth or fewer gives the first page, full.
    const start = await listTaskPage(db, alice, OPEN, { limit: 3, beforeId: second.tasks[0]!.id });
    expect(names(start)).toEqual(['t2', 't3', 't4']);
    expect(start.start).toBe(1);
  });

  it('lists what is due today or before, overdue first, and everything dated, soonest first', async () => {
    for (const [name, due] of [
      ['later', '2026-12-09'],
      ['none', null],
      ['today', TODAY],
      ['overdue', '2026-11-20'],
      ['done', '2026-11-01'],
    ] as const) {
      const task = (await addTask(db, alice, name, QUOTA, { due }))!;
      if (name === 'done') await completeTask(db, alice, task.id);
    }
    await addTask(db, bob, 'bob’s', QUOTA, { due: TODAY });
    const names = async (view: TaskView) =>
      (await listTaskPage(db, alice, view, { limit: 10 })).tasks.map((t) => t.name);
    expect(await names({ kind: 'today', today: TODAY })).toEqual(['overdue', 'today']);
    expect(await names({ kind: 'upcoming' })).toEqual(['overdue', 'today', 'later']);
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 4, completed: 1, today: 2, upcoming: 3 });
  });

  it('records when a task was completed and forgets it on reopen', async () => {
    const task = await add(alice, 'x');
    await completeTask(db, alice, task.id);
    expect((await findTask(db, alice, task.id))?.completedAt).toBeInstanceOf(Date);
    expect(await reopenTask(db, alice, task.id)).toBe('x');
    expect((await findTask(db, alice, task.id))?.completedAt).toBeNull();
  });
});

describe('the task quota', () => {
  const imported = (name: string) => ({
    name,
    completed: false,
    createdAt: undefined,
    completedAt: undefined,
    due: null,
    position: undefined,
  });

  it('adds up to maxTasks per owner, then answers undefined and adds nothing', async () => {
    for (let i = 1; i <= 3; i++) expect(await addTask(db, alice, `t${i}`, 3)).toBeDefined();
    expect(await addTask(db, alice, 'one too many', 3)).toBeUndefined();
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 3, completed: 0, today: 0, upcoming: 0 });
    expect(await addTask(db, bob, 'bob has room', 3)).toBeDefined();
  });

  it('stops parallel adds at exactly maxTasks', async () => {
    const added = await Promise.all(Array.from({ length: 10 }, (_, i) => addTask(db, alice, `p${i}`, 4)));
    expect(added.filter(Boolean)).toHaveLength(4);
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 4, completed: 0, today: 0, upcoming: 0 });
  });

  it('imports all or nothing, and says how many would fit', async () => {
    await add(alice, 'first');
    expect(await importTasks(db, alice, [imported('a'), imported('b'), imported('c')], 3)).toEqual({
      ok: false,
      fit: 2,
    });
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 1, completed: 0, today: 0, upcoming: 0 });
    expect(await importTasks(db, alice, [imported('a'), imported('b')], 3)).toEqual({ ok: true, added: 2 });
    expect(await importTasks(db, alice, [imported('c')], 3)).toEqual({ ok: false, fit: 0 });
  });

  it('undoes an import that a parallel add pushed past the quota after the first check', async () => {
    const [first, second] = await Promise.all([
      importTasks(db, alice, [imported('a'), imported('b')], 2),
      importTasks(db, alice, [imported('c'), imported('d')], 2),
    ]);
    expect([first, second]).toEqual(
      expect.arrayContaining([
        { ok: true, added: 2 },
        { ok: false, fit: 0 },
      ]),
    );
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 2, completed: 0, today: 0, upcoming: 0 });
  });
});

describe('the schema', () => {
  it('enforces the owner foreign key', async () => {
    await expect(db('tasks').insert({ name: 'orphan', owner_id: 9999 })).rejects.toThrow(/foreign key/i);
  });

  it('deletes a user’s tasks with the user', async () => {
    await add(alice, 'goes away');
    await db('users').where({ id: alice }).delete();
    expect(await db('tasks').count({ n: '*' }).first()).toEqual({ n: 0 });
  });

  it('migrates down and up again', async () => {
    await db.migrate.rollback(undefined, true);
    expect(await db.schema.hasTable('tasks')).toBe(false);
    await migrateToLatest(db);
    expect(await db.schema.hasTable('tasks')).toBe(true);
  });

  it("reads an export's pages by the (owner_id, id) index, without sorting", async () => {
    const query = db('tasks').where('owner_id', alice).andWhere('id', '>', 500).orderBy('id').limit(500);
    const { sql, bindings } = query.toSQL().toNative();
    const plan = await planOf(db, sql, bindings);
    expect(plan).toMatch(/tasks_owner_id_id_index/);
    expectIndexedPlan(plan);
  });

  it('adds and drops the export index without touching the tasks', async () => {
    for (let i = 1; i <= 3; i++) await add(alice, `kept ${i}`);
    const name = '20261201000100_index_tasks_by_owner_and_id';
    await db.migrate.down({ name });
    await db.migrate.up({ name });
    expect(await countTasks(db, alice, TODAY)).toEqual({ open: 3, completed: 0, today: 0, upcoming: 0 });
  });

  it('runs every page query through an index', async () => {
    const plans: string[] = [];
    const explain = async (query: Knex.QueryBuilder) => {
      const { sql, bindings } = query.toSQL().toNative();
      plans.push(await planOf(db, sql, bindings));
    };
    await explain(
      db('tasks').where('owner_id', alice).where('completed', false).orderBy(['position', 'id']).limit(51),
    );
    await explain(db('tasks').where('owner_id', alice).max('position'));
    for (const plan of plans) {
      // PostgreSQL's planner may take another index that starts with the owner on a test-sized
      // table, as long as it needs no sort.
      expect(plan).toMatch(/tasks_owner_(order|position|id_completed_id|id_id)_index/);
      expectIndexedPlan(plan);
    }
  });
});

describe('completing twice', () => {
  it('keeps the time of the first completion', async () => {
    const task = await add(alice, 'once');
    await db('tasks').where({ id: task.id }).update({ completed: true, completed_at: '2020-01-02 03:04:05' });
    expect(await completeTask(db, alice, task.id)).toBe('once');
    const done = await findTask(db, alice, task.id);
    expect(done?.completedAt?.toISOString()).toBe('2020-01-02T03:04:05.000Z');
  });
});
