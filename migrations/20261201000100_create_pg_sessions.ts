import type { Knex } from 'knex';

// connect-pg-simple's table, on PostgreSQL only: SQLite keeps sessions in a file of their own
// (connect-sqlite3 in DATA_DIR), so there this migration does nothing. Created here rather than
// by the store at run time: the schema has one home, it exists before any worker serves a
// request, and the app's role needs no right to create tables while it runs.
const isPostgres = (knex: Knex) => knex.client.config.client === 'pg';

export async function up(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.schema.createTable('sessions', (table) => {
    table.string('sid').primary();
    // json, not jsonb: stored as written, and connect-pg-simple writes and reads it as is.
    table.json('sess').notNullable();
    table.timestamp('expire', { useTz: true, precision: 6 }).notNullable().index('sessions_expire_index');
  });
  // Signing a user out everywhere finds their sessions by the user id inside the session.
  await knex.raw("CREATE INDEX sessions_user_id_index ON sessions ((sess->>'userId'))");
}

export async function down(knex: Knex): Promise<void> {
  if (!isPostgres(knex)) return;
  await knex.schema.dropTable('sessions');
}
