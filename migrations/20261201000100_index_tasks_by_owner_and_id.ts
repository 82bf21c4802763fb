import type { Knex } from 'knex';

// The export reads a user's tasks in pages by id (keyset: owner_id = ? AND id > ? ORDER BY id
// LIMIT n). With only (owner_id, completed), each page would read and sort all of the owner's
// tasks; with (owner_id, id) it reads just the page, on SQLite and PostgreSQL alike. Only an
// index is added: SQLite creates it in place, the table is not rebuilt.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['owner_id', 'id'], 'tasks_owner_id_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.dropIndex(['owner_id', 'id'], 'tasks_owner_id_id_index');
  });
}
