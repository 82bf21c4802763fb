import type { Knex } from 'knex';

// Password-reset links. Only the SHA-256 of a link's token is stored, so a copy of the database
// cannot be turned into working links. A row is usable while used_at is null and expires_at is
// in the future; spending it, a newer request and a password change all set used_at.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('password_resets', (table) => {
    table.increments('id').primary();
    table.integer('user_id').unsigned().notNullable().references('id').inTable('users').onDelete('CASCADE');
    table.string('token_hash', 64).notNullable().unique();
    table.timestamp('created_at').notNullable().defaultTo(knex.fn.now());
    table.timestamp('expires_at').notNullable();
    table.timestamp('used_at').nullable();
    table.index(['user_id'], 'password_resets_user_id_index');
    table.index(['expires_at'], 'password_resets_expires_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('password_resets');
}
