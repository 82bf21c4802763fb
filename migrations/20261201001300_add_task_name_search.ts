import type { Knex } from 'knex';

const BATCH = 500;

/**
 * src/db/search-text.ts's fold as it was when this migration was written, copied so that the
 * migration stays what it was whatever the app's code becomes (and migrations import no app
 * code). A later change to that fold needs a migration of its own that folds the names again.
 */
const searchText = (text: string) => text.normalize('NFKC').toUpperCase().toLowerCase().replace(/ς/g, 'σ');

// A folded copy of each task's name (see src/db/search-text.ts), which search compares with
// LIKE … ESCAPE: case-insensitive in any script on both databases. The index (owner_id,
// completed, name_search) lets a search count a user's matches from the index alone.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.text('name_search').notNullable().defaultTo('');
  });
  // Existing names are folded here, in JavaScript: neither database's lower() folds the same way.
  let after = 0;
  for (;;) {
    const rows: { id: number; name: string }[] = await knex('tasks')
      .select('id', 'name')
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH);
    if (rows.length === 0) break;
    for (const row of rows)
      await knex('tasks')
        .where('id', row.id)
        .update({ name_search: searchText(row.name) });
    after = rows[rows.length - 1]!.id;
  }
  await knex.schema.alterTable('tasks', (table) => {
    table.index(['owner_id', 'completed', 'name_search'], 'tasks_owner_search_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tasks', (table) => {
    table.dropIndex([], 'tasks_owner_search_index');
  });
  await knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['tasks', 'name_search']);
}
