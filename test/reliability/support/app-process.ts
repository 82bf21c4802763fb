import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import http from 'node:http';
import Database from 'better-sqlite3';
import knex from 'knex';
import { projectRoot } from '../../../src/paths';
import { startServer, type ServerProcess } from '../../helpers/server-process';

export const APP_DB = 'get-it-done.sqlite3';
export const SESSIONS_DB = 'sessions.sqlite3';

/** The built server (dist/) on 127.0.0.1 with a fast bcrypt unless a case needs slow requests. */
export function startBuilt(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // These cases register and log in many users from one address, concurrently: the throttles
  // (tested on their own in test/integration/throttling.test.ts) are raised, as the README says.
  const throttles = {
    REGISTER_MAX_PER_IP: '100000',
    LOGIN_MAX_FAILURES_PER_IP: '100000',
    LOGIN_MAX_FAILURES_PER_EMAIL: '100000',
  };
  return startServer({ dataDir, built: true, env: { BCRYPT_ROUNDS: '4', ...throttles, ...env } });
}

export function keepAliveAgent(maxSockets = Infinity): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

/** Reads the app database directly (the server must be stopped, or only reading). */
export function inspectDb(dataDir: string) {
  const db = new Database(path.join(dataDir, APP_DB));
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const names = new Set(
      (db.prepare('SELECT name FROM tasks').all() as { name: string }[]).map((row) => row.name),
    );
    return { integrity, names };
  } finally {
    db.close();
  }
}

/** What a case reads back after the server stopped: the database's own check and every task name. */
export interface StoredTasks {
  integrity: string;
  names: Set<string>;
}

/** Where a crash or shutdown case keeps its data: the SQLite file in DATA_DIR, or a PostgreSQL database. */
export interface CaseStorage {
  label: 'sqlite' | 'pg';
  /** Added to the server's environment. */
  env: Record<string, string>;
  inspect(): Promise<StoredTasks>;
  drop(): Promise<void>;
}

export function sqliteStorage(dataDir: string): CaseStorage {
  return { label: 'sqlite', env: {}, inspect: async () => inspectDb(dataDir), drop: async () => {} };
}

/**
 * A throwaway PostgreSQL database for one case, created with the role `adminUrl` names (which
 * may create databases), read back through its own connection, dropped with drop().
 */
export async function postgresStorage(adminUrl: string): Promise<CaseStorage> {
  const name = `gid_rel_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = () => knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  const once = admin();
  try {
    await once.raw('CREATE DATABASE ??', [name]);
  } finally {
    await once.destroy();
  }
  return {
    label: 'pg',
    env: { DATABASE_URL: url },
    async inspect() {
      const db = knex({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
      try {
        // PostgreSQL checks its own pages; what can go wrong here is a lost or a half-written row.
        const rows = await db<{ name: string }>('tasks').select('name');
        return { integrity: 'ok', names: new Set(rows.map((row) => row.name)) };
      } finally {
        await db.destroy();
      }
    },
    async drop() {
      const db = admin();
      try {
        await db.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
      } finally {
        await db.destroy();
      }
    },
  };
}

export async function stopGracefully(server: ServerProcess): Promise<number | string> {
  server.child.kill('SIGTERM');
  return server.exited;
}

export interface LockHolder {
  child: ChildProcess;
  /** Rolls back and lets the other process exit; resolves when it has. */
  release(): Promise<void>;
}

/**
 * Another process (not the server) that opens the given SQLite files with better-sqlite3 and
 * takes their write lock with BEGIN EXCLUSIVE, like an operator's `sqlite3` shell, a migration
 * or an import left open. In WAL mode this blocks every writer; readers keep reading.
 * `pulse` instead takes the lock for `holdMs` every `everyMs` (a busy neighbour, not a stuck one).
 */
export async function holdLocks(
  files: string[],
  mode: { kind: 'hold' } | { kind: 'pulse'; holdMs: number; everyMs: number },
): Promise<LockHolder> {
  const script = `
    const Database = require(${JSON.stringify(path.join(projectRoot, 'node_modules', 'better-sqlite3'))});
    const dbs = ${JSON.stringify(files)}.map((f) => { const d = new Database(f); d.pragma('busy_timeout = 5000'); return d; });
    const mode = ${JSON.stringify(mode)};
    let stop = false;
    process.stdin.on('data', () => { stop = true; });
    process.stdin.on('end', () => process.exit(0)); // the test process went away: never linger
    if (mode.kind === 'hold') {
      for (const d of dbs) d.exec('BEGIN EXCLUSIVE');
      process.stdout.write('locked\\n');
      process.stdin.on('data', () => { for (const d of dbs) d.exec('ROLLBACK'); process.exit(0); });
    } else {
      process.stdout.write('locked\\n');
      const tick = () => {
        if (stop) process.exit(0);
        for (const d of dbs) d.exec('BEGIN EXCLUSIVE');
        const until = Date.now() + mode.holdMs;
        while (Date.now() < until) {}
        for (const d of dbs) d.exec('ROLLBACK');
        setTimeout(tick, mode.everyMs - mode.holdMs);
      };
      tick();
    }
  `;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    void exited.then(() => reject(new Error('the lock holder exited before locking')));
  });
  return {
    child,
    async release() {
      child.stdin!.write('release\n');
      await exited;
    },
  };
}
