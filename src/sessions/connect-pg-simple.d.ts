declare module 'connect-pg-simple' {
  import type session from 'express-session';

  /** What the store calls on its pool: pg.Pool's query(), or anything that answers like it. */
  export interface PgQueryable {
    query(text: string, params: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  }

  interface PGStoreOptions {
    pool?: PgQueryable;
    tableName?: string;
    schemaName?: string;
    createTableIfMissing?: boolean;
    /** Seconds between the store's own purges of expired rows; false: never. */
    pruneSessionInterval?: number | false;
    disableTouch?: boolean;
    ttl?: number;
    errorLog?: (...args: unknown[]) => void;
  }

  interface PGStore extends session.Store {
    close(): Promise<void>;
  }

  function connectPgSimple(connect: typeof session): new (options?: PGStoreOptions) => PGStore;
  export = connectPgSimple;
}
