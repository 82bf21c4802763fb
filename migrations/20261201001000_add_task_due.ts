import type { Knex } from 'knex';

// A task's due date as 'YYYY-MM-DD' text, not a `date` column: SQLite has no date type (Knex
// would bind a JS Date as integer milliseconds), and node-postgres turns a `date` into a Date at
// midnight in the server's time zone, which shifts the day for anyone east or west of it. The
// text is validated at the edge and compares and sorts like the date it names on both.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.string('due', 10).nullable();
  });
}

// Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+, PostgreSQL): Knex's SQLite dropColumn rebuilds
// the table instead, which a migration's transaction cannot do with foreign keys switched off.
export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['tasks', 'due']);
}
