import type { Knex } from 'knex';
import { dialectOf } from './dialect';
import { queryPrepared } from './pg-pool';
import { allPrepared } from './prepared-statements';

// Knex compiles a builder anew on every run: for a one-row lookup that costs several times what
// the database takes to answer it (the session's user: 61 µs through the builder, 21 µs as raw
// SQL, 9 µs inside SQLite). The queries every page runs are built once, with stand-in values
// where each run's values go, and then run as their SQL with the values swapped in.

type Builder = Knex.QueryBuilder | Knex.Raw;

/** A compiled query: knex's SQL (with ?) and bindings, and the same as PostgreSQL's native text. */
interface Compiled {
  sql: string;
  native: string;
  bindings: readonly unknown[];
}

const compiled = new WeakMap<Knex, Map<string, Compiled>>();

/**
 * Runs the query that `build` makes from `standIns`, compiled by knex once per database and
 * `key`, with each stand-in among its bindings replaced by the value at the same place in `args`.
 * The stand-ins must be values the query holds nowhere else (an id no row has, a text no column
 * takes), and `key` must name everything else `build` depends on. Resolves with the rows.
 */
export async function runCompiled<Row, Args extends readonly unknown[]>(
  db: Knex,
  key: string,
  standIns: Args,
  args: Args,
  build: (...values: Args) => Builder,
): Promise<Row[]> {
  let statements = compiled.get(db);
  if (!statements) compiled.set(db, (statements = new Map()));
  let statement = statements.get(key);
  if (!statement) {
    const sql = build(...standIns).toSQL() as Knex.Sql;
    // A value derived from a stand-in (a date a week after "today") would be kept for every run.
    for (const standIn of standIns) {
      if (sql.bindings.filter((value) => value === standIn).length === 0) {
        throw new Error(`runCompiled(${key}): the stand-in ${String(standIn)} is not among the bindings`);
      }
    }
    statement = { sql: sql.sql, native: sql.toNative().sql, bindings: sql.bindings };
    statements.set(key, statement);
  }
  const bindings = statement.bindings.map((value) => {
    const i = standIns.indexOf(value);
    return (i < 0 ? value : args[i]) as Knex.RawBinding;
  });
  // Inside a transaction, its own connection (db is then the transaction) runs it through raw().
  if (db.isTransaction) {
    const result = (await db.raw(statement.sql, bindings)) as Row[] | { rows: Row[] };
    return Array.isArray(result) ? result : result.rows;
  }
  const pg = dialectOf(db) === 'pg';
  db.emit('query', { sql: pg ? statement.native : statement.sql, bindings }); // as knex tells its listeners
  // PostgreSQL: a prepared statement, parsed and planned once per connection; SQLite: the
  // connection's own prepared statement.
  if (pg) return (await queryPrepared(db, statement.native, bindings)).rows as Row[];
  return (await allPrepared(db, statement.sql, bindings)) as Row[];
}
