import type { Knex } from 'knex';
import { timestampFor, toDate } from '../db/dialect';
import { searchText } from '../db/search-text';

// Every function here takes the owner's id and puts it in the WHERE clause: there is no task
// query without an owner, so an ownership check cannot be forgotten, and "no row" means 404.
// Every write of a name writes its folded copy (name_search) beside it, for search.

export interface Task {
  id: number;
  name: string;
  completed: boolean;
  createdAt: Date;
  completedAt: Date | null;
  /** The due date, 'YYYY-MM-DD' (a calendar day, in no time zone), or null. */
  due: string | null;
}

export interface TaskRow {
  id: number;
  name: string;
  completed: number | boolean;
  owner_id: number;
  created_at: string | Date;
  completed_at: string | Date | null;
  due: string | null;
  /** The user's order (see models/task-order.ts). */
  position: number;
  /** The folded name search compares (see db/search-text.ts): written with every name, not read back. */
  name_search?: string;
}

/** A task as a list shows it: no timestamps to read and convert for every row of every page. */
export type ListedTask = Pick<Task, 'id' | 'name' | 'completed' | 'due'>;

const TASK_COLUMNS = ['id', 'name', 'completed', 'owner_id', 'created_at', 'completed_at', 'due', 'position'];

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    name: row.name,
    completed: Boolean(row.completed),
    createdAt: toDate(row.created_at)!,
    completedAt: toDate(row.completed_at),
    due: row.due,
  };
}

const ownedBy = (db: Knex, ownerId: number) => db<TaskRow>('tasks').where('owner_id', ownerId);

export async function findTask(db: Knex, ownerId: number, taskId: number): Promise<Task | undefined> {
  const row = await ownedBy(db, ownerId).andWhere('id', taskId).first<TaskRow | undefined>(TASK_COLUMNS);
  return row && toTask(row);
}

/** Thrown inside the transaction to undo it; `before` is the owner's count without this insert. */
class OverQuota extends Error {
  constructor(readonly before: number) {
    super('over the task quota');
  }
}

/**
 * The quota check for an insert, inside the insert's transaction: the owner's tasks are counted
 * after the insert and the whole transaction is undone when that makes more than `maxTasks`.
 * Counting after the insert makes the check exact on both databases, for any number of parallel
 * adds: on SQLite the insert takes the database's one write lock before the count reads, so no
 * other connection or process can add in between; on PostgreSQL the count waits for the owner's
 * row lock (FOR NO KEY UPDATE, which the tasks' foreign-key checks do not wait for, so two adds
 * cannot deadlock), and each statement then sees every add committed before it.
 */
async function withinQuota<T>(
  db: Knex,
  ownerId: number,
  maxTasks: number,
  insert: (trx: Knex.Transaction) => Promise<{ value: T; inserted: number }>,
): Promise<{ ok: true; value: T } | { ok: false; before: number }> {
  try {
    return await db.transaction(async (trx) => {
      const { value, inserted } = await insert(trx);
      await trx('users').where('id', ownerId).forNoKeyUpdate().first('id'); // no-op on SQLite
      const after = await countAllTasks(trx, ownerId);
      if (after > maxTasks) throw new OverQuota(after - inserted);
      return { ok: true as const, value };
    });
  } catch (err) {
    if (err instanceof OverQuota) return { ok: false, before: err.before };
    throw err;
  }
}

/** All of the owner's tasks, open and completed. */
export async function countAllTasks(db: Knex, ownerId: number): Promise<number> {
  const row = await ownedBy(db, ownerId).count({ n: '*' }).first<{ n: number | string }>();
  return Number(row.n);
}

/**
 * The position the owner's next task gets, after every other (the order: models/task-order.ts): a subquery, so an add stays one
 * statement (max() comes from the (owner_id, position) index). Knex types insert values as
 * plain values or raw SQL, so the builder goes in as a raw binding ('?' wraps it in brackets).
 */
export function endOfList(db: Knex, ownerId: number): Knex.Raw<number> {
  const last = db('tasks').where('owner_id', ownerId).select(db.raw('coalesce(max(position), 0) + 1'));
  return db.raw<number>('?', [last]);
}

/** Adds the task, or answers undefined when the owner already has `maxTasks` tasks. */
export async function addTask(
  db: Knex,
  ownerId: number,
  name: string,
  maxTasks: number,
  fields: { due?: string | null } = {},
): Promise<Task | undefined> {
  const added = await withinQuota(db, ownerId, maxTasks, async (trx) => {
    const [row] = await trx<TaskRow>('tasks')
      .insert({
        name,
        name_search: searchText(name),
        owner_id: ownerId,
        completed: false,
        due: fields.due ?? null,
        position: endOfList(trx, ownerId),
      })
      .returning(TASK_COLUMNS);
    return { value: toTask(row as TaskRow), inserted: 1 };
  });
  return added.ok ? added.value : undefined;
}

/** One owner-scoped UPDATE … RETURNING: the task's name, or undefined when the owner has no such task. */
async function updateOwnTask(
  db: Knex,
  ownerId: number,
  taskId: number,
  changes: { [K in keyof TaskRow]?: TaskRow[K] | Knex.Raw },
): Promise<string | undefined> {
  const rows: Pick<TaskRow, 'name'>[] = await ownedBy(db, ownerId)
    .andWhere('id', taskId)
    .update(changes, ['name']);
  return rows[0]?.name;
}

/** Completes the task and answers its name (for the message); a completed task keeps when it was done. */
export function completeTask(db: Knex, ownerId: number, taskId: number): Promise<string | undefined> {
  return updateOwnTask(db, ownerId, taskId, {
    completed: true,
    completed_at: db.raw('coalesce(completed_at, CURRENT_TIMESTAMP)'),
  });
}

/** Reopens the task and answers its name, or undefined when the owner has no such task. */
export function reopenTask(db: Knex, ownerId: number, taskId: number): Promise<string | undefined> {
  return updateOwnTask(db, ownerId, taskId, { completed: false, completed_at: null });
}

/** Renames the task and, when `due` is given, sets its date (null clears it). */
export async function editTask(
  db: Knex,
  ownerId: number,
  taskId: number,
  changes: { name: string; due?: string | null },
): Promise<boolean> {
  const changed = await ownedBy(db, ownerId)
    .andWhere('id', taskId)
    .update({
      name: changes.name,
      name_search: searchText(changes.name),
      ...(changes.due === undefined ? {} : { due: changes.due }),
    });
  return changed === 1;
}

/** Deletes the task and returns it as it was, so the user can undo. */
export async function deleteTask(db: Knex, ownerId: number, taskId: number): Promise<TaskRow | undefined> {
  return db.transaction(async (trx) => {
    const row = await trx<TaskRow>('tasks')
      .where({ owner_id: ownerId, id: taskId })
      .first<TaskRow | undefined>(TASK_COLUMNS);
    if (!row) return undefined;
    await trx('tasks').where({ owner_id: ownerId, id: taskId }).delete();
    return row;
  });
}

/** Puts a deleted task back exactly as it was (same id, so the same place in the list). */
export async function restoreTask(db: Knex, ownerId: number, row: TaskRow): Promise<boolean> {
  if (row.owner_id !== ownerId) return false;
  const inserted = await db<TaskRow>('tasks')
    .insert({ ...row, owner_id: ownerId, name_search: searchText(row.name) })
    .onConflict('id')
    .ignore()
    .returning(['id']);
  return inserted.length === 1;
}

/**
 * A task as it appears in an export file (times as ISO 8601 UTC, the due date as YYYY-MM-DD).
 * `position` is the task's place in the user's order: only how the numbers compare matters.
 */
export interface ExportedTask {
  name: string;
  completed: boolean;
  created_at: string;
  completed_at: string | null;
  due: string | null;
  position: number;
}

/** A task read from an import file and validated, ready to insert. */
export interface ImportedTask {
  name: string;
  completed: boolean;
  createdAt: Date | undefined;
  completedAt: Date | undefined;
  due: string | null;
  /** Its place in the file's order (its position column), if the file gives one. */
  position: number | undefined;
}

type ExportRow = Pick<
  TaskRow,
  'id' | 'name' | 'completed' | 'created_at' | 'completed_at' | 'due' | 'position'
>;

const toExportedTask = (row: ExportRow): ExportedTask => ({
  name: row.name,
  completed: Boolean(row.completed),
  created_at: toDate(row.created_at)!.toISOString(),
  completed_at: toDate(row.completed_at)?.toISOString() ?? null,
  due: row.due,
  position: Number(row.position),
});

/**
 * Every task of the user, in the user's order (position, id), in the export's shape, one page of
 * `pageSize` at a time: keyset pages by (position, id) over the (owner_id, position, id) index, so
 * each query reads just its page and nothing holds the whole list. Each page is its own
 * statement, not a snapshot: a task added or moved during an export may be in it or not.
 */
export async function* exportTaskPages(
  db: Knex,
  ownerId: number,
  pageSize: number,
): AsyncGenerator<ExportedTask[], void, undefined> {
  let after: { position: number; id: number } | undefined;
  for (;;) {
    const query = ownedBy(db, ownerId);
    if (after) query.andWhereRaw('(??, ??) > (?, ?)', ['position', 'id', after.position, after.id]);
    const rows = await query
      .orderBy([
        { column: 'position', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(pageSize)
      .select<ExportRow[]>('id', 'name', 'completed', 'created_at', 'completed_at', 'due', 'position');
    if (rows.length > 0) yield rows.map(toExportedTask);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { position: Number(last.position), id: last.id };
  }
}

const INSERT_BATCH = 200;

export type ImportResult =
  | { ok: true; added: number }
  /** Adding them all would take the owner past `maxTasks`: nothing was added. */
  | { ok: false; fit: number };

/**
 * Adds the tasks in one transaction, after the user's others: all of them or, on any error or
 * when they would take the owner past `maxTasks`, none. A file that plainly does not fit is
 * refused before any insert. They keep the file's order: its position column where it has one
 * (the export's), else its rows.
 */
export async function importTasks(
  db: Knex,
  ownerId: number,
  tasks: readonly ImportedTask[],
  maxTasks: number,
): Promise<ImportResult> {
  if (tasks.length === 0) return { ok: true, added: 0 };
  const fitNow = maxTasks - (await countAllTasks(db, ownerId));
  if (tasks.length > fitNow) return { ok: false, fit: Math.max(0, fitNow) };
  const now = new Date();
  const inOrder = tasks
    .map((task, row) => ({ task, row }))
    .sort((a, b) => (a.task.position ?? Infinity) - (b.task.position ?? Infinity) || a.row - b.row)
    .map(({ task }) => task);
  const rows = inOrder.map((task, i) => ({
    owner_id: ownerId,
    name: task.name,
    name_search: searchText(task.name),
    completed: task.completed,
    created_at: timestampFor(db, task.createdAt ?? now),
    completed_at: task.completed ? timestampFor(db, task.completedAt ?? task.createdAt ?? now) : null,
    due: task.due,
    place: i + 1,
  }));
  const added = await withinQuota(db, ownerId, maxTasks, async (trx) => {
    const end = await trx('tasks')
      .where('owner_id', ownerId)
      .max<{ last: number | null }>({ last: 'position' })
      .first();
    const base = Number(end?.last ?? 0);
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await trx('tasks').insert(
        rows.slice(i, i + INSERT_BATCH).map(({ place, ...row }) => ({ ...row, position: base + place })),
      );
    }
    return { value: rows.length, inserted: rows.length };
  });
  return added.ok
    ? { ok: true, added: added.value }
    : { ok: false, fit: Math.max(0, maxTasks - added.before) };
}
