import type { Knex } from 'knex';

// A list page reads one owner's open (or completed) tasks in id order, a page at a time. On
// SQLite the (owner_id, completed) index already ends in the rowid, which is the id, so it
// serves the order too; a PostgreSQL index does not, and sorted every one of the owner's tasks
// to show the first 50. With id as the index's last column the page is read in order from the
// index on both. Only indexes change: on SQLite no table is rebuilt (no cascade to fear).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['owner_id', 'completed', 'id'], 'tasks_owner_id_completed_id_index');
  });
  await knex.schema.alterTable('tasks', (table) => {
    table.dropIndex(['owner_id', 'completed'], 'tasks_owner_id_completed_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['owner_id', 'completed'], 'tasks_owner_id_completed_index');
  });
  await knex.schema.alterTable('tasks', (table) => {
    table.dropIndex(['owner_id', 'completed', 'id'], 'tasks_owner_id_completed_id_index');
  });
}
