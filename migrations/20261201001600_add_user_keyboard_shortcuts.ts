import type { Knex } from 'knex';

// Whether single-key shortcuts (n, j, k, x, …) are on: a speech-input or screen-reader user may
// need them off (WCAG 2.1.4). ADD COLUMN with a constant default never rebuilds users.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.boolean('keyboard_shortcuts').notNullable().defaultTo(true);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['users', 'keyboard_shortcuts']);
}
