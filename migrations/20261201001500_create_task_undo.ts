import type { Knex } from 'knex';

// What "Complete all" and "Clear completed" changed, so that Undo can put exactly those tasks
// back: one row per user (a newer bulk action replaces it), gone when undone or expired. In the
// database, not the session: a cleared list of thousands of tasks would make every request
// read it, and several processes must see the same undo.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('task_undo', (table) => {
    table.increments('id').primary();
    table.integer('owner_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.string('kind', 20).notNullable();
    // JSON: the ids completed, or the rows deleted as they were.
    table.text('payload').notNullable();
    // Milliseconds since the epoch, like session_cutoffs.valid_after.
    table.bigInteger('expires_at').notNullable();
    table.index(['owner_id'], 'task_undo_owner_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('task_undo');
}
