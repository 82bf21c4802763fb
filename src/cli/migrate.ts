import { ConfigError, loadConfig } from '../config';
import { createDb, withMigrator } from '../db/knex';

// npm run migrate (latest) and npm run migrate:rollback, on the database DATABASE_URL names
// (PostgreSQL) or, when it is unset, the SQLite file in DATA_DIR.
async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  const db = createDb(config.database);
  try {
    if (command === 'latest') {
      const [batch, names] = (await withMigrator(db, (m) => m.migrate.latest())) as [number, string[]];
      console.log(names.length ? `Batch ${batch} ran: ${names.join(', ')}` : 'Already up to date.');
    } else if (command === 'rollback') {
      const [batch, names] = (await withMigrator(db, (m) => m.migrate.rollback())) as [number, string[]];
      console.log(names.length ? `Batch ${batch} rolled back: ${names.join(', ')}` : 'Nothing to roll back.');
    } else {
      throw new ConfigError('usage: migrate latest|rollback');
    }
  } finally {
    await db.destroy();
  }
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
