import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (table) => {
    table.increments('id').primary();
    // Stored trimmed and lower-cased by the app, so a plain unique index is case-insensitive
    // on every database (SQLite's NOCASE is ASCII-only and PostgreSQL has no such collation).
    table.string('email', 254).notNullable().unique();
    table.string('password_hash', 100).notNullable();
    table.timestamp('created_at').notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
