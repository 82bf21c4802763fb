import type { Knex } from 'knex';
import type { TaskRow } from './tasks';

// The user's own order of their tasks (the tasks table's position column). A list shows its
// tasks by (position, id). A move gives the task a position between its new neighbours, so it
// changes one row; when no number fits between them (a tie, or a gap halved some fifty times),
// the owner's positions are renumbered 1, 2, 3 … first. Every query has the owner in its WHERE.

/** Where a move puts a task: a step up or down its list, or before a task (null: the end). */
export type MoveTarget = { direction: 'up' | 'down' } | { beforeId: number | null };

export type MoveResult =
  | { moved: true; name: string; rank: number; of: number }
  | { moved: false; name: string; rank: number; of: number }
  /** The task, or the task to go before, is not the owner's. */
  | undefined;

type Placed = Pick<TaskRow, 'id' | 'name' | 'completed'> & { position: number };

const PLACED_COLUMNS = ['id', 'name', 'completed', 'position'] as const;

function find(trx: Knex.Transaction, ownerId: number, taskId: number): Promise<Placed | undefined> {
  return trx('tasks')
    .where({ owner_id: ownerId, id: taskId })
    .first<Placed | undefined>(...PLACED_COLUMNS);
}

/**
 * The task next to `from` in the owner's whole order (both lists), before or after it, leaving
 * out `skip` (the task being moved); `sameList` keeps to tasks with from's completed state.
 */
function neighbour(
  trx: Knex.Transaction,
  ownerId: number,
  from: Placed,
  side: 'before' | 'after',
  { skip, sameList }: { skip?: number; sameList?: boolean } = {},
): Promise<Placed | undefined> {
  const [cmp, order] = side === 'before' ? (['<', 'desc'] as const) : (['>', 'asc'] as const);
  const query = trx('tasks')
    .where('owner_id', ownerId)
    .andWhere('position', `${cmp}=`, from.position)
    .andWhere((either) => either.where('position', cmp, from.position).orWhere('id', cmp, from.id));
  if (sameList) query.andWhere('completed', from.completed);
  if (skip !== undefined) query.andWhereNot('id', skip);
  return query
    .orderBy([
      { column: 'position', order },
      { column: 'id', order },
    ])
    .first<Placed | undefined>(...PLACED_COLUMNS);
}

/** The last task in the owner's whole order. */
function lastTask(trx: Knex.Transaction, ownerId: number): Promise<Placed | undefined> {
  return trx('tasks')
    .where('owner_id', ownerId)
    .orderBy([
      { column: 'position', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first<Placed | undefined>(...PLACED_COLUMNS);
}

/** Positions 1, 2, 3 … in the current order (rare: only when no number fits between two). */
async function renumber(trx: Knex.Transaction, ownerId: number): Promise<void> {
  const rows: { id: number }[] = await trx('tasks')
    .where('owner_id', ownerId)
    .orderBy(['position', 'id'])
    .select('id');
  for (const [i, row] of rows.entries()) {
    await trx('tasks')
      .where({ owner_id: ownerId, id: row.id })
      .update({ position: i + 1 });
  }
}

/** A position strictly between the two (either may be missing: the start or the end). */
function between(before: Placed | undefined, after: Placed | undefined): number | undefined {
  if (!after) return before ? before.position + 1 : 1;
  if (!before) return after.position - 1;
  const middle = (before.position + after.position) / 2;
  return middle > before.position && middle < after.position ? middle : undefined;
}

/** Where the task now is in its own list (open or completed): "2 of 5". */
async function rankOf(
  trx: Knex.Transaction,
  ownerId: number,
  task: Placed,
): Promise<{ rank: number; of: number }> {
  const [ahead, all] = await Promise.all([
    trx('tasks')
      .where({ owner_id: ownerId, completed: task.completed })
      .andWhere('position', '<=', task.position)
      .andWhere((either) => either.where('position', '<', task.position).orWhere('id', '<', task.id))
      .count<{ n: number | string }[]>({ n: '*' })
      .first(),
    trx('tasks')
      .where({ owner_id: ownerId, completed: task.completed })
      .count<{ n: number | string }[]>({ n: '*' })
      .first(),
  ]);
  return { rank: Number(ahead?.n ?? 0) + 1, of: Number(all?.n ?? 0) };
}

/**
 * Moves the owner's task: up or down its own list (open or completed), or before another of
 * their tasks, or to the end. In one transaction; the answer says where the task now is, or
 * is undefined (nothing changed) when either task is not the owner's.
 */
export async function moveTask(
  db: Knex,
  ownerId: number,
  taskId: number,
  target: MoveTarget,
): Promise<MoveResult> {
  return db.transaction(async (trx) => {
    let task = await find(trx, ownerId, taskId);
    if (!task) return undefined;
    // The neighbours the task goes between, found in the owner's whole order.
    const slot = async (
      task: Placed,
    ): Promise<[Placed | undefined, Placed | undefined] | 'stay' | 'missing'> => {
      if ('direction' in target) {
        const next = await neighbour(trx, ownerId, task, target.direction === 'up' ? 'before' : 'after', {
          sameList: true,
        });
        if (!next) return 'stay'; // already first (or last) in its list
        return target.direction === 'up'
          ? [await neighbour(trx, ownerId, next, 'before', { skip: task.id }), next]
          : [next, await neighbour(trx, ownerId, next, 'after', { skip: task.id })];
      }
      if (target.beforeId === null) {
        const last = await lastTask(trx, ownerId);
        return last && last.id !== task.id ? [last, undefined] : 'stay';
      }
      if (target.beforeId === task.id) return 'stay';
      const before = await find(trx, ownerId, target.beforeId);
      if (!before) return 'missing';
      return [await neighbour(trx, ownerId, before, 'before', { skip: task.id }), before];
    };
    const neighbours = await slot(task);
    if (neighbours === 'missing') return undefined;
    if (neighbours === 'stay')
      return { moved: false, name: task.name, ...(await rankOf(trx, ownerId, task)) };
    let position = between(...neighbours);
    if (position === undefined) {
      await renumber(trx, ownerId);
      task = (await find(trx, ownerId, taskId))!;
      const again = await slot(task);
      // Renumbering keeps the order, so the same neighbours come back, now with room between.
      if (again === 'missing' || again === 'stay') throw new Error('renumbering changed the order');
      position = between(...again)!;
    }
    await trx('tasks').where({ owner_id: ownerId, id: task.id }).update({ position });
    return { moved: true, name: task.name, ...(await rankOf(trx, ownerId, { ...task, position })) };
  });
}
