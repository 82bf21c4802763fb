import type { Knex } from 'knex';
import * as createUsers from '../../migrations/20250101000000_create_users';
import * as createTasks from '../../migrations/20250101000100_create_tasks';
import * as createSessionCutoffs from '../../migrations/20261125000000_create_session_cutoffs';
import * as createPasswordResets from '../../migrations/20261201000000_create_password_resets';
import * as tasksListIndex from '../../migrations/20261201000000_tasks_list_index';
import * as createPgSessions from '../../migrations/20261201000100_create_pg_sessions';
import * as createRateLimits from '../../migrations/20261201000000_create_rate_limits';
import * as indexTasksByOwnerAndId from '../../migrations/20261201000100_index_tasks_by_owner_and_id';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Imported statically, so tsx, vitest and the compiled dist/ all see the same list without
// Knex loading .ts files from disk. A new migration is one more line here.
const migrations: Record<string, Migration> = {
  '20250101000000_create_users': createUsers,
  '20250101000100_create_tasks': createTasks,
  '20261125000000_create_session_cutoffs': createSessionCutoffs,
  '20261201000000_create_password_resets': createPasswordResets,
  '20261201000000_tasks_list_index': tasksListIndex,
  '20261201000100_create_pg_sessions': createPgSessions,
  '20261201000000_create_rate_limits': createRateLimits,
  '20261201000100_index_tasks_by_owner_and_id': indexTasksByOwnerAndId,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
