import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/** The part of a pg Client these queries use (knex marks a connection to drop with __knex__disposed). */
interface PgClient {
  query(
    config: { name: string; text: string; values: unknown[] },
    callback: (err: Error | null, result: { rows: Record<string, unknown>[] }) => void,
  ): void;
  __knex__disposed?: unknown;
}

/** 0A000: "cached plan must not change result type"; 26000: no such prepared statement. */
const STALE_STATEMENT = /^(0A000|26000)$/;

const names = new Map<string, string>();
/** Texts whose names are kept; past this the map starts over (the texts here are a few constants). */
const NAMES_MAX = 200;

function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size >= NAMES_MAX) names.clear();
    name = `gid_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs one statement on a connection borrowed from the app's Knex pool (so it counts in
 * DATABASE_POOL_MAX, with the same statement timeout, the same short wait for a connection and
 * the same recovery), as a prepared statement named after its text: PostgreSQL parses and plans
 * it once per connection instead of on every run: for the home page's statement, about half of
 * PostgreSQL's work. A pooler in front of PostgreSQL must keep prepared statements per client
 * (PgBouncer in transaction mode needs 1.21 or later with max_prepared_statements set).
 */
export async function queryPrepared(
  db: Knex,
  text: string,
  values: readonly unknown[],
): Promise<{ rows: Record<string, unknown>[] }> {
  const name = statementName(text);
  const conn = (await db.client.acquireConnection()) as PgClient;
  try {
    return await new Promise((resolve, reject) =>
      conn.query({ name, text, values: [...values] }, (err, result) => (err ? reject(err) : resolve(result))),
    );
  } catch (err) {
    // A prepared statement the server no longer accepts as it is (a migration changed a column's
    // type under a running instance, or the statement is gone): the connection goes, and with it
    // the statement, so the next run prepares it anew. Other errors leave the connection usable
    // (a statement timeout), or knex has marked it already (a broken connection).
    if (STALE_STATEMENT.test(String((err as { code?: unknown }).code))) conn.__knex__disposed = err;
    throw err;
  } finally {
    await db.client.releaseConnection(conn);
  }
}
