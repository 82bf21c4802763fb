import type { Knex } from 'knex';

// Today and Upcoming list a user's open tasks by due date, and the filters count them: this
// index serves both (a range read in order, and a count that never touches the table).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['owner_id', 'completed', 'due', 'id'], 'tasks_owner_due_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.dropIndex([], 'tasks_owner_due_index');
  });
}
