import type { Knex } from 'knex';

// Sessions of a user that logged in before `valid_after` (ms since the epoch) no longer count:
// set when the password changes, so every other session is signed out even if the session
// store still holds it. A table of its own rather than a users column: on SQLite, altering
// users can rebuild the table, and the rebuild's DROP would cascade to every task.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('session_cutoffs', (table) => {
    table.integer('user_id').unsigned().primary().references('id').inTable('users').onDelete('CASCADE');
    table.bigInteger('valid_after').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('session_cutoffs');
}
