import { spawn } from 'node:child_process';
import path from 'node:path';
import knex from 'knex';
import { projectRoot } from '../src/paths';

// npm run test:pg [-- vitest arguments]: the unit and integration suite on PostgreSQL.
//
// TEST_DATABASE_URL names a reachable PostgreSQL server, a role that may create databases
// (CREATEDB) and a database it can connect to first (e.g. postgres://gid:pw@127.0.0.1:5432/postgres).
// The script creates a throwaway database for the run, runs the suite in it (each test database
// is a schema of its own there, see test/helpers/test-database.ts) and drops it afterwards,
// whatever the outcome. Nothing else on that server is touched.

/** The URL without its password, for messages. */
function shown(url: URL): string {
  const copy = new URL(url);
  if (copy.password) copy.password = '***';
  return copy.toString();
}

async function main(): Promise<number> {
  const given = process.env.TEST_DATABASE_URL;
  if (!given) {
    console.error(
      'npm run test:pg needs TEST_DATABASE_URL: a PostgreSQL server and a role with CREATEDB, ' +
        'e.g. TEST_DATABASE_URL=postgres://gid:secret@127.0.0.1:5432/postgres (see the README).',
    );
    return 2;
  }
  const serverUrl = new URL(given);
  const name = `gid_test_${Date.now()}_${process.pid}`;
  const quiet = () => {}; // knex would print every failed connection attempt with its stack
  const admin = knex({ client: 'pg', connection: given, pool: { min: 0, max: 1 }, log: { warn: quiet } });
  try {
    await admin.raw('CREATE DATABASE ??', [name]);
  } catch (err) {
    await admin.destroy();
    console.error(`Cannot create a database on ${shown(serverUrl)}: ${(err as Error).message}`);
    return 2;
  }
  const runUrl = new URL(serverUrl);
  runUrl.pathname = `/${name}`;
  console.log(`== the suite on PostgreSQL, in the throwaway database ${name} on ${runUrl.host}`);
  try {
    return await runVitest(runUrl.toString(), process.argv.slice(2));
  } finally {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]).catch((err: Error) => {
      console.error(`Could not drop the throwaway database ${name}: ${err.message}`);
    });
    await admin.destroy();
  }
}

function runVitest(databaseUrl: string, extraArgs: string[]): Promise<number> {
  const vitest = path.join(projectRoot, 'node_modules', 'vitest', 'vitest.mjs');
  const args = [
    'run',
    '--config',
    '.config/vitest.config.mts',
    '--project',
    'unit',
    '--project',
    'integration',
  ];
  const child = spawn(process.execPath, [vitest, ...args, ...extraArgs], {
    cwd: projectRoot,
    env: { ...process.env, TEST_DATABASE_URL: databaseUrl },
    stdio: 'inherit',
  });
  // Ctrl-C stops the tests first; the database is dropped once they have gone.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
