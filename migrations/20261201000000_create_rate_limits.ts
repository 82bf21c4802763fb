import type { Knex } from 'knex';

// The counters behind the login, registration, password-check and import limits, in the
// database so that every process and instance counts the same hits. One row per key (a limit's
// prefix and an email, an address or a user id); the window ends at reset_at (ms since the epoch).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (table) => {
    table.string('key', 320).primary();
    table.integer('hits').notNullable();
    table.bigInteger('reset_at').notNullable();
    table.index(['reset_at'], 'rate_limits_reset_at_index'); // the sweep of expired rows
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
