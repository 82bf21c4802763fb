import type { Knex } from 'knex';
import { searchText } from '../db/search-text';
import { UNDO_WINDOW_MS } from '../limits';
import type { TaskRow } from './tasks';

// The task_undo table: "Complete all" and "Clear completed" record exactly what they changed,
// in the same transaction as the change, and Undo puts exactly that back. One record per user
// (the newest bulk action is the one Undo offers); every query has the owner in its WHERE.

export type BulkKind = 'complete-all' | 'clear-completed';

type Payload = { kind: 'complete-all'; ids: number[] } | { kind: 'clear-completed'; rows: TaskRow[] };

interface UndoRow {
  id: number;
  owner_id: number;
  kind: BulkKind;
  payload: string;
  expires_at: number | string;
}

/** What a bulk action did: how many tasks, and the Undo that puts them back (none for zero). */
export interface BulkResult {
  count: number;
  undoId: number | undefined;
}

// IN lists and multi-row inserts stay well under SQLite's limits (999 bindings, 500 terms).
const BATCH = 200;

const TASK_COLUMNS = ['id', 'name', 'completed', 'owner_id', 'created_at', 'completed_at', 'due', 'position'];

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

/** Keeps this action's record, replacing the user's previous one (and any expired one). */
async function record(
  trx: Knex.Transaction,
  ownerId: number,
  payload: Payload,
  now: number,
): Promise<number> {
  await trx('task_undo').where('owner_id', ownerId).delete();
  const [row] = await trx('task_undo')
    .insert({
      owner_id: ownerId,
      kind: payload.kind,
      payload: JSON.stringify(payload),
      expires_at: now + UNDO_WINDOW_MS,
    })
    .returning(['id']);
  return (row as { id: number }).id;
}

/** Completes every open task of the owner, remembering which ones for Undo. */
export async function completeAllTasks(db: Knex, ownerId: number, now = Date.now()): Promise<BulkResult> {
  return db.transaction(async (trx) => {
    const changed: { id: number }[] = await trx('tasks')
      .where({ owner_id: ownerId, completed: false })
      .update({ completed: true, completed_at: trx.fn.now() }, ['id']);
    if (changed.length === 0) return { count: 0, undoId: undefined };
    const ids = changed.map((row) => row.id);
    return { count: ids.length, undoId: await record(trx, ownerId, { kind: 'complete-all', ids }, now) };
  });
}

/** Deletes every completed task of the owner, keeping the rows as they were for Undo. */
export async function clearCompletedTasks(db: Knex, ownerId: number, now = Date.now()): Promise<BulkResult> {
  return db.transaction(async (trx) => {
    const rows: TaskRow[] = await trx('tasks')
      .where({ owner_id: ownerId, completed: true })
      .select(TASK_COLUMNS);
    if (rows.length === 0) return { count: 0, undoId: undefined };
    // By id, so what is deleted is exactly what was kept (nothing completed in between).
    for (const ids of chunks(rows.map((row) => row.id))) {
      await trx('tasks').where('owner_id', ownerId).whereIn('id', ids).delete();
    }
    return { count: rows.length, undoId: await record(trx, ownerId, { kind: 'clear-completed', rows }, now) };
  });
}

/**
 * Puts back what the owner's bulk action changed: the completed tasks open again (those still
 * completed), the cleared tasks as they were (same ids, names, dates, places). Undefined when
 * the record is gone, expired or not the owner's. Works once.
 */
export async function undoBulkAction(
  db: Knex,
  ownerId: number,
  undoId: number,
  now = Date.now(),
): Promise<{ kind: BulkKind; count: number } | undefined> {
  return db.transaction(async (trx) => {
    const row = await trx<UndoRow>('task_undo').where({ id: undoId, owner_id: ownerId }).first();
    if (!row) return undefined;
    await trx('task_undo').where({ id: undoId, owner_id: ownerId }).delete();
    if (Number(row.expires_at) < now) return undefined;
    const payload = JSON.parse(row.payload) as Payload;
    let count = 0;
    if (payload.kind === 'complete-all') {
      for (const ids of chunks(payload.ids)) {
        count += await trx('tasks')
          .where({ owner_id: ownerId, completed: true })
          .whereIn('id', ids)
          .update({ completed: false, completed_at: null });
      }
    } else {
      for (const rows of chunks(payload.rows)) {
        const inserted = await trx('tasks')
          .insert(rows.map((task) => ({ ...task, owner_id: ownerId, name_search: searchText(task.name) })))
          .onConflict('id')
          .ignore()
          .returning(['id']);
        count += inserted.length;
      }
    }
    return { kind: payload.kind, count };
  });
}
