import type { Knex } from 'knex';

// The user's IANA time zone, which decides what "today" is for their due dates, and whether
// they chose it on the account page (until then each login with JavaScript sets the browser's).
// ADD COLUMN with a constant default never rebuilds the table (on SQLite a rebuild of users
// would cascade to every task: see the session cut-off migration).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (table) => {
    table.string('time_zone', 64).notNullable().defaultTo('UTC');
    table.boolean('time_zone_chosen').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const column of ['time_zone_chosen', 'time_zone']) {
    await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['users', column]);
  }
}
