import type { Knex } from 'knex';

// The user's own order of their tasks: a position, compared as (position, id), so ties (two
// adds at once on PostgreSQL, a task restored into a place since taken) still sort the same.
// A double, not an integer: a move puts the task between its new neighbours (the mean of their
// positions), changing one row; models/task-order.ts renumbers the list when no number fits.
// Existing tasks keep the order they had (creation order): position = id.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.double('position').notNullable().defaultTo(0);
  });
  await knex('tasks').update({ position: knex.ref('id') });
  await knex.schema.alterTable('tasks', (table) => {
    // Lists in the user's order (open, completed): a range read, no sort.
    table.index(['owner_id', 'completed', 'position', 'id'], 'tasks_owner_order_index');
    // The end of the user's list, for a new task (max(position) from the index), and the
    // export's keyset pages in the user's order, both lists together.
    table.index(['owner_id', 'position', 'id'], 'tasks_owner_position_index');
    // Today and Upcoming: by date, then in the user's order.
    table.index(['owner_id', 'completed', 'due', 'position', 'id'], 'tasks_owner_due_order_index');
    // A prefix of the index above. (tasks_owner_id_completed_id_index stays: counts and the
    // completed-in-id-order reads use it.)
    table.dropIndex([], 'tasks_owner_due_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['owner_id', 'completed', 'due', 'id'], 'tasks_owner_due_index');
    table.dropIndex([], 'tasks_owner_order_index');
    table.dropIndex([], 'tasks_owner_position_index');
    table.dropIndex([], 'tasks_owner_due_order_index');
  });
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['tasks', 'position']);
}
