import { describe, expect, it } from 'vitest';
import { useMigratedDb } from '../helpers/test-app';

// The migrations of due dates, time zones, order, search and undo: each goes down and up again
// without touching the rows already there (on SQLite a rebuild of users would cascade to tasks).
const MIGRATIONS = [
  '20261201001600_add_user_keyboard_shortcuts',
  '20261201001500_create_task_undo',
  '20261201001400_add_task_position',
  '20261201001300_add_task_name_search',
  '20261201001200_index_tasks_by_due',
  '20261201001100_add_user_time_zone',
  '20261201001000_add_task_due',
];

const fresh = useMigratedDb();

async function counts() {
  const users = await fresh.db('users').count({ n: '*' }).first<{ n: number }>();
  const tasks = await fresh.db('tasks').count({ n: '*' }).first<{ n: number }>();
  return { users: Number(users.n), tasks: Number(tasks.n) };
}

describe('the planning migrations', () => {
  it('go down and up again, newest first, keeping every user and task', async () => {
    const [user] = await fresh
      .db('users')
      .insert({ email: 'a@example.com', password_hash: 'h' })
      .returning(['id']);
    await fresh.db('tasks').insert([
      { name: 'one', owner_id: user.id },
      { name: 'two', owner_id: user.id },
    ]);
    for (const name of MIGRATIONS) {
      await fresh.db.migrate.down({ name });
      expect(await counts(), name).toEqual({ users: 1, tasks: 2 });
    }
    expect(await fresh.db.schema.hasColumn('tasks', 'due')).toBe(false);
    expect(await fresh.db.schema.hasColumn('users', 'time_zone')).toBe(false);
    for (const name of [...MIGRATIONS].reverse()) {
      await fresh.db.migrate.up({ name });
      expect(await counts(), name).toEqual({ users: 1, tasks: 2 });
    }
    const row = await fresh
      .db('users')
      .first<{ time_zone: string; time_zone_chosen: unknown }>('time_zone', 'time_zone_chosen');
    expect({ ...row, time_zone_chosen: Boolean(row.time_zone_chosen) }).toEqual({
      time_zone: 'UTC',
      time_zone_chosen: false,
    });
  });
});
