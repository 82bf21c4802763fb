import type { Knex } from 'knex';
import type { IsoDate } from '../dates/calendar';
import { runCompiled } from '../db/compiled-queries';
import { jsonRowsAggregate, parseJsonRows } from '../db/dialect';
import { containsPattern, LIKE_ESCAPE } from '../db/search-text';
import type { ListedTask, TaskRow } from './tasks';

// The queries behind the home page's lists (the tasks table, like models/tasks.ts, which holds
// the writes): which tasks a view shows, in which order, one keyset page at a time, and the
// counts beside the filters. Every query has the owner's id in its WHERE clause.

/** The lists the home page can show, each narrowed to the names containing `search` if given. */
export type TaskView = (
  | { kind: 'open' }
  | { kind: 'completed' }
  /** Open tasks due today or earlier, overdue first. */
  | { kind: 'today'; today: IsoDate }
  /** Open tasks with a due date, soonest first. */
  | { kind: 'upcoming' }
) & { search?: string };

type OrderColumn = 'due' | 'position' | 'id';

/**
 * Each view's order: the user's own (position), by date first for Today and Upcoming, ending in
 * the id so that it is total (a keyset needs that). Every column
 * is the tail of an index that starts (owner_id, completed), so a page is an index range read in
 * order: no sort, however many tasks the user has.
 */
const ORDER: Record<TaskView['kind'], readonly OrderColumn[]> = {
  open: ['position', 'id'],
  completed: ['position', 'id'],
  today: ['due', 'position', 'id'],
  upcoming: ['due', 'position', 'id'],
};

type Query = Knex.QueryBuilder;

function inView(db: Knex, ownerId: number, view: TaskView): Query {
  const query = db<TaskRow>('tasks')
    .where('owner_id', ownerId)
    .andWhere('completed', view.kind === 'completed');
  if (view.kind === 'today') query.andWhere('due', '<=', view.today);
  if (view.kind === 'upcoming') query.whereNotNull('due');
  // Standard LIKE with an explicit ESCAPE, on the folded copy of the name: the same on both.
  if (view.search)
    query.andWhereRaw('?? like ? escape ?', ['name_search', containsPattern(view.search), LIKE_ESCAPE]);
  return query;
}

/** A task's place in a view's order: its values of the order's columns. */
type Key = Partial<Record<OrderColumn, string | number | null>>;

/**
 * Rows after (or before) `key` in the order, as plain comparisons the index can seek on:
 * (a, b) > (x, y) is `a >= x AND (a > x OR b > y)`, one level per column (the outer a >= x
 * leaves only a = x for the second branch). Builders, not row values: the same on both databases.
 */
function beyond(
  query: Query,
  columns: readonly OrderColumn[],
  key: Key,
  direction: '>' | '<',
  inclusive = false,
) {
  const [column, ...rest] = columns;
  if (column === undefined) return;
  const value = key[column] ?? null;
  if (rest.length === 0) {
    query.andWhere(column, inclusive ? `${direction}=` : direction, value);
    return;
  }
  query.andWhere(column, `${direction}=`, value).andWhere((either) => {
    either.where(column, direction, value).orWhere((same) => beyond(same, rest, key, direction, inclusive));
  });
}

/** One page of a list, with what its pager needs. */
export interface TaskPage {
  tasks: ListedTask[];
  /** The position of the page's first task in the whole list (1 on the first page). */
  start: number;
  /** The id to continue after, when more tasks follow the page. */
  nextAfterId: number | undefined;
  /** The previous page: 'first' for the list's start, an id to page back from, or none. */
  previous: { beforeId: number } | 'first' | undefined;
}

/** Which page: the first, the one after a task, or the one before a task (ids from the URL). */
export interface PageRequest {
  afterId?: number;
  beforeId?: number;
  limit: number;
}

const LISTED_COLUMNS = ['id', 'name', 'completed', 'due'] as const;
type ListedRow = Pick<TaskRow, (typeof LISTED_COLUMNS)[number]>;

const toListed = (row: ListedRow): ListedTask => ({
  id: row.id,
  name: row.name,
  completed: Boolean(row.completed),
  due: row.due,
});

/** Where a task is in a view's order, or undefined when the owner has no such task. */
async function keyOf(db: Knex, ownerId: number, view: TaskView, taskId: number): Promise<Key | undefined> {
  const row = await db<TaskRow>('tasks')
    .where({ owner_id: ownerId, id: taskId })
    .first<Key | undefined>(...ORDER[view.kind]);
  return row;
}

async function countBeyond(
  db: Knex,
  ownerId: number,
  view: TaskView,
  key: Key,
  direction: '>' | '<',
  inclusive: boolean,
): Promise<number> {
  const query = inView(db, ownerId, view);
  beyond(query, ORDER[view.kind], key, direction, inclusive);
  const row = await query.count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

function rowsOf(
  db: Knex,
  ownerId: number,
  view: TaskView,
  limit: number,
  from?: { key: Key; direction: '>' | '<' },
) {
  const columns = ORDER[view.kind];
  const query = inView(db, ownerId, view).select<ListedRow[]>(LISTED_COLUMNS);
  if (from) beyond(query, columns, from.key, from.direction);
  for (const column of columns) query.orderBy(column, from?.direction === '<' ? 'desc' : 'asc');
  return query.limit(limit);
}

/** A list's first page from its first limit + 1 rows in order (one more tells that more follow). */
function firstPageOf(rows: ListedRow[], limit: number): TaskPage {
  const tasks = rows.slice(0, limit).map(toListed);
  const nextAfterId = rows.length > limit ? tasks[tasks.length - 1]?.id : undefined;
  return { tasks, start: 1, nextAfterId, previous: undefined };
}

async function firstPage(db: Knex, ownerId: number, view: TaskView, limit: number): Promise<TaskPage> {
  return firstPageOf(await rowsOf(db, ownerId, view, limit + 1), limit);
}

/** The page that ends just before `key` (exclusive), given how many tasks come before it. */
async function pageEndingAt(
  db: Knex,
  ownerId: number,
  view: TaskView,
  key: Key | undefined,
  before: number,
  limit: number,
): Promise<TaskPage> {
  if (before <= limit) return firstPage(db, ownerId, view, limit);
  const rows = key
    ? await rowsOf(db, ownerId, view, limit, { key, direction: '<' })
    : await inView(db, ownerId, view)
        .select<ListedRow[]>(LISTED_COLUMNS)
        .orderBy(ORDER[view.kind].map((column) => ({ column, order: 'desc' })))
        .limit(limit);
  const tasks = rows.reverse().map(toListed);
  const start = before - tasks.length + 1;
  return {
    tasks,
    start,
    nextAfterId: key ? tasks[tasks.length - 1]?.id : undefined,
    previous: start - 1 <= limit ? 'first' : { beforeId: tasks[0]!.id },
  };
}

/**
 * One page of a view, by keyset: the first page is one indexed read, whatever the list's
 * length. A later page also finds its cursor task (one row by primary key) and counts what
 * comes before it (for "51–100 of 131" and the previous link). A cursor that is gone, or not
 * the owner's, gives the first page.
 */
export async function listTaskPage(
  db: Knex,
  ownerId: number,
  view: TaskView,
  page: PageRequest,
): Promise<TaskPage> {
  const cursorId = page.afterId ?? page.beforeId;
  const key = cursorId === undefined ? undefined : await keyOf(db, ownerId, view, cursorId);
  if (!key) return firstPage(db, ownerId, view, page.limit);
  if (page.afterId === undefined) {
    const before = await countBeyond(db, ownerId, view, key, '<', false);
    return pageEndingAt(db, ownerId, view, key, before, page.limit);
  }
  const [rows, upTo] = await Promise.all([
    rowsOf(db, ownerId, view, page.limit + 1, { key, direction: '>' }),
    countBeyond(db, ownerId, view, key, '<', true),
  ]);
  // Nothing after the cursor any more (its followers were completed or deleted): the last page.
  if (rows.length === 0) return pageEndingAt(db, ownerId, view, undefined, upTo, page.limit);
  const tasks = rows.slice(0, page.limit).map(toListed);
  return {
    tasks,
    start: upTo + 1,
    nextAfterId: rows.length > page.limit ? tasks[tasks.length - 1]?.id : undefined,
    previous: upTo <= page.limit ? 'first' : { beforeId: tasks[0]!.id },
  };
}

/**
 * The task after `taskId` in the view (else the one before it): where a browser without the
 * script lands when that task leaves the list. Undefined when there is none, or no such task.
 */
export async function neighbourInView(
  db: Knex,
  ownerId: number,
  view: TaskView,
  taskId: number,
): Promise<number | undefined> {
  const key = await keyOf(db, ownerId, view, taskId);
  if (!key) return undefined;
  const [after] = await rowsOf(db, ownerId, view, 1, { key, direction: '>' });
  if (after) return after.id;
  const [before] = await rowsOf(db, ownerId, view, 1, { key, direction: '<' });
  return before?.id;
}

/** How many tasks a view holds: the count of a search's matches (one indexed query). */
export async function countView(db: Knex, ownerId: number, view: TaskView): Promise<number> {
  const row = await inView(db, ownerId, view).count<{ n: number | string }[]>({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

/** What the filters and sections count. */
export interface TaskCounts {
  open: number;
  completed: number;
  /** Open tasks due today or earlier. */
  today: number;
  /** Open tasks with a due date. */
  upcoming: number;
}

/**
 * Every count the page shows, in two indexed queries: open and completed grouped over the user's
 * index entries, then Today and Upcoming over the range of their open dated tasks only (one query
 * that worked out a CASE for every task cost a 10,000-task account a third more).
 */
export async function countTasks(db: Knex, ownerId: number, today: IsoDate): Promise<TaskCounts> {
  const [rows, dated] = await Promise.all([
    db('tasks')
      .where('owner_id', ownerId)
      .select('completed')
      .count({ count: '*' })
      .groupBy('completed') as Promise<{ completed: number | boolean; count: number | string }[]>,
    db('tasks')
      .where({ owner_id: ownerId, completed: false })
      .whereNotNull('due')
      .count({ upcoming: '*' })
      .select(db.raw('sum(case when due <= ? then 1 else 0 end) as due_today', [today]))
      .first() as Promise<{ upcoming: number | string; due_today: number | string | null } | undefined>,
  ]);
  const counts: TaskCounts = {
    open: 0,
    completed: 0,
    today: Number(dated?.due_today ?? 0),
    upcoming: Number(dated?.upcoming ?? 0),
  };
  for (const row of rows) counts[row.completed ? 'completed' : 'open'] = Number(row.count);
  return counts;
}

/** What a page's JSON holds for each task: the listed columns, then its place in the user's order. */
const PAGE_COLUMNS = [...LISTED_COLUMNS, 'position'] as const;
type PageTuple = [
  id: number,
  name: string,
  completed: number | boolean,
  due: string | null,
  position: number,
];
const TUPLE_INDEX: Record<OrderColumn, number> = { id: 0, due: 3, position: 4 };

/** The four counts' columns in the statement, after the pages' (page0, page1, …). */
const COUNT_COLUMNS = ['open', 'completed', 'today', 'upcoming'] as const;

/** Stand-ins for the owner and today, in the statement knex compiles once per set of views. */
const STAND_INS: [number, IsoDate] = [-727_001, '(today)' as IsoDate];

/**
 * firstPagesWithCounts' statement for one set of views: each page's rows gathered into one JSON
 * array, then the four counts, in one row.
 */
function foldedStatement(db: Knex, views: TaskView[], limit: number, ownerId: number, today: IsoDate): Query {
  const dated = views.map((view): TaskView => (view.kind === 'today' ? { kind: 'today', today } : view));
  const pages = dated.map((view, part) =>
    db.raw(`(select ${jsonRowsAggregate(db, PAGE_COLUMNS)} from ? as ??) as ??`, [
      inView(db, ownerId, view)
        .select(...PAGE_COLUMNS)
        .orderBy(ORDER[view.kind].map((column) => ({ column, order: 'asc' })))
        .limit(limit + 1),
      `page${part}`,
      `page${part}`,
    ]),
  );
  const countViews: TaskView[] = [
    { kind: 'open' },
    { kind: 'completed' },
    { kind: 'today', today },
    { kind: 'upcoming' },
  ];
  const counts = countViews.map((view, i) =>
    db.raw('? as ??', [inView(db, ownerId, view).count('*'), COUNT_COLUMNS[i]!]),
  );
  return db.select(...pages, ...counts);
}

/**
 * The home page's usual case in one statement: the counts and the first page of each view, where
 * countTasks and listTaskPage would run 2 + views.length (each a round trip on PostgreSQL, each
 * compiled by knex). It answers one row: each page is a subquery with its ORDER BY and LIMIT whose
 * rows the database gathers into one JSON array (one string to parse, where a row each cost
 * better-sqlite3 more than the query itself), and each count one count(*) over an index range.
 * An aggregate's order is the database's (an ORDER BY inside it would sort again), so each page is
 * put back in its view's order here, from the order columns it carries.
 */
export async function firstPagesWithCounts(
  db: Knex,
  ownerId: number,
  today: IsoDate,
  views: TaskView[],
  limit: number,
): Promise<{ counts: TaskCounts; pages: TaskPage[] }> {
  // The statement is kept per set of kinds: a search would be kept with it, for everyone.
  if (views.some((view) => view.search)) throw new Error('firstPagesWithCounts: views without a search only');
  const [row] = await runCompiled<Record<string, unknown>, [number, IsoDate]>(
    db,
    `home:${limit}:${views.map((view) => view.kind).join(',')}`,
    STAND_INS,
    [ownerId, today],
    (owner, day) => foldedStatement(db, views, limit, owner, day),
  );
  const taskCounts: TaskCounts = { open: 0, completed: 0, today: 0, upcoming: 0 };
  for (const column of COUNT_COLUMNS) taskCounts[column] = Number(row?.[column] ?? 0);
  return {
    counts: taskCounts,
    pages: views.map((view, part) => {
      const order = ORDER[view.kind].map((column) => TUPLE_INDEX[column]);
      const tuples = parseJsonRows<PageTuple>(row?.[`page${part}`]).sort((a, b) => {
        for (const i of order) {
          const x = a[i]!;
          const y = b[i]!;
          if (x !== y) return x < y ? -1 : 1;
        }
        return 0;
      });
      return firstPageOf(
        tuples.map(([id, name, completed, due]) => ({ id, name, completed, due })),
        limit,
      );
    }),
  };
}
