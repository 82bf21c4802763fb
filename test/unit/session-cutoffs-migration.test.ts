import { useMigratedDb } from '../helpers/test-app';
import { describe, expect, it } from 'vitest';

const MIGRATION = '20261125000000_create_session_cutoffs';

const fresh = useMigratedDb();

async function counts() {
  const users = await fresh.db('users').count({ n: '*' }).first<{ n: number }>();
  const tasks = await fresh.db('tasks').count({ n: '*' }).first<{ n: number }>();
  return { users: Number(users.n), tasks: Number(tasks.n) };
}

describe('the session cut-off migration', () => {
  it('leaves users and tasks alone going down and up again (it never alters the users table)', async () => {
    const [user] = await fresh
      .db('users')
      .insert({ email: 'a@example.com', password_hash: 'h' })
      .returning(['id']);
    await fresh.db('tasks').insert([
      { name: 'one', owner_id: user.id },
      { name: 'two', owner_id: user.id },
    ]);
    await fresh.db('session_cutoffs').insert({ user_id: user.id, valid_after: Date.now() });
    expect(await counts()).toEqual({ users: 1, tasks: 2 });

    await fresh.db.migrate.down({ name: MIGRATION });
    expect(await fresh.db.schema.hasTable('session_cutoffs')).toBe(false);
    expect(await counts()).toEqual({ users: 1, tasks: 2 });

    await fresh.db.migrate.up({ name: MIGRATION });
    expect(await fresh.db.schema.hasTable('session_cutoffs')).toBe(true);
    expect(await counts()).toEqual({ users: 1, tasks: 2 });
  });

  it('goes with the user when the user is deleted', async () => {
    const [user] = await fresh
      .db('users')
      .insert({ email: 'b@example.com', password_hash: 'h' })
      .returning(['id']);
    await fresh.db('session_cutoffs').insert({ user_id: user.id, valid_after: 1 });
    await fresh.db('users').where({ id: user.id }).delete();
    expect(await fresh.db('session_cutoffs')).toEqual([]);
  });
});
