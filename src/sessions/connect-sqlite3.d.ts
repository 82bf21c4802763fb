declare module 'connect-sqlite3' {
  import type session from 'express-session';

  /** The part of node-sqlite3's Database the store calls (0.9.18 accepts any such object). */
  export interface SqliteLike {
    exec(sql: string, callback?: (err: Error | null) => void): unknown;
    get(sql: string, params: unknown[], callback: (err: Error | null, row?: unknown) => void): unknown;
    all(
      sql: string,
      params: unknown[] | ((err: Error | null, rows: unknown[]) => void),
      callback?: (err: Error | null, rows: unknown[]) => void,
    ): unknown;
    run(sql: string, params: unknown[], callback?: (err: Error | null) => void): unknown;
  }

  interface SQLiteStoreOptions {
    db?: string | SqliteLike;
    table?: string;
    dir?: string;
    concurrentDb?: boolean;
  }

  function connectSqlite3(connect: typeof session): new (options?: SQLiteStoreOptions) => session.Store;
  export = connectSqlite3;
}
