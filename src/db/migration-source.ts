import type { Knex } from 'knex';
import * as createUsers from '../../migrations/20250101000000_create_users';
import * as createTasks from '../../migrations/20250101000100_create_tasks';
import * as createSessionCutoffs from '../../migrations/20261125000000_create_session_cutoffs';
import * as createPasswordResets from '../../migrations/20261201000000_create_password_resets';
import * as createRateLimits from '../../migrations/20261201000000_create_rate_limits';
import * as tasksListIndex from '../../migrations/20261201000000_tasks_list_index';
import * as createPgSessions from '../../migrations/20261201000100_create_pg_sessions';
import * as indexTasksByOwnerAndId from '../../migrations/20261201000100_index_tasks_by_owner_and_id';
import * as addTaskDue from '../../migrations/20261201001000_add_task_due';
import * as addUserTimeZone from '../../migrations/20261201001100_add_user_time_zone';
import * as indexTasksByDue from '../../migrations/20261201001200_index_tasks_by_due';
import * as addTaskNameSearch from '../../migrations/20261201001300_add_task_name_search';
import * as addTaskPosition from '../../migrations/20261201001400_add_task_position';
import * as createTaskUndo from '../../migrations/20261201001500_create_task_undo';
import * as addUserKeyboardShortcuts from '../../migrations/20261201001600_add_user_keyboard_shortcuts';

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
  '20261201000000_create_rate_limits': createRateLimits,
  '20261201000000_tasks_list_index': tasksListIndex,
  '20261201000100_create_pg_sessions': createPgSessions,
  '20261201000100_index_tasks_by_owner_and_id': indexTasksByOwnerAndId,
  '20261201001000_add_task_due': addTaskDue,
  '20261201001100_add_user_time_zone': addUserTimeZone,
  '20261201001200_index_tasks_by_due': indexTasksByDue,
  '20261201001300_add_task_name_search': addTaskNameSearch,
  '20261201001400_add_task_position': addTaskPosition,
  '20261201001500_create_task_undo': createTaskUndo,
  '20261201001600_add_user_keyboard_shortcuts': addUserKeyboardShortcuts,
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
