import type { Knex } from 'knex';
import { expect } from 'vitest';
import { onPostgres } from './test-database';

/**
 * How the database would run a query, as one line of text. SQLite: EXPLAIN QUERY PLAN.
 * PostgreSQL: EXPLAIN with sequential scans and sorts priced out, because on a test-sized table the
 * planner rightly prefers reading the whole table; what matters is that an index can serve
 * the query, in the order it asks for.
 */
export async function planOf(db: Knex, sql: string, bindings: readonly unknown[]): Promise<string> {
  const values = bindings as Knex.RawBinding[];
  if (!onPostgres) {
    const rows = (await db.raw(`EXPLAIN QUERY PLAN ${sql}`, values)) as { detail: string }[];
    return rows.map((row) => row.detail).join(' | ');
  }
  // Knex's native PostgreSQL SQL numbers its placeholders ($1, $2 …) in order; raw() takes ?.
  const text = sql.replace(/\$\d+/g, '?');
  return db.transaction(async (trx) => {
    await trx.raw('SET LOCAL enable_seqscan = off');
    // Likewise a sort of a test-sized table's few rows is cheap: priced out too, so a Sort left in
    // the plan means no index can give the order the query asks for.
    await trx.raw('SET LOCAL enable_sort = off');
    const result = (await trx.raw(`EXPLAIN ${text}`, values)) as { rows: { 'QUERY PLAN': string }[] };
    return result.rows.map((row) => row['QUERY PLAN'].trim()).join(' | ');
  });
}

/** A plan that reads through indexes only: no whole-table scan, and no sort of the rows it found. */
export function expectIndexedPlan(plan: string, label = plan): void {
  if (onPostgres) {
    expect(plan, label).toMatch(/Index (Only )?Scan/);
    expect(plan, label).not.toMatch(/Seq Scan/);
    expect(plan, label).not.toMatch(/Sort/);
  } else {
    expect(plan, label).toMatch(/USING (COVERING )?(INDEX|INTEGER PRIMARY KEY)/);
    expect(plan, label).not.toMatch(/SCAN (tasks|users|session_cutoffs)(?! USING)/);
    expect(plan, label).not.toMatch(/TEMP B-TREE/);
  }
}
