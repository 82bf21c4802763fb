import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { createDb, migrateToLatest } from '../db/knex';
import { createPasswords } from '../auth/passwords';
import { BULK_PASSWORD, bulkEmail, DEMO_EMAIL, DEMO_PASSWORD, seed } from './seed-data';

// npm run seed [-- --users N --tasks M]
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { users: { type: 'string', default: '0' }, tasks: { type: 'string', default: '0' } },
  });
  const users = Number(values.users);
  const tasks = Number(values.tasks);
  if (!Number.isInteger(users) || users < 0 || !Number.isInteger(tasks) || tasks < 0) {
    throw new ConfigError('--users and --tasks take whole numbers of 0 or more');
  }
  const config = loadConfig();
  if (config.env === 'production') throw new ConfigError('Refusing to seed demo accounts in production.');
  const db = createDb(config.database);
  try {
    await migrateToLatest(db);
    const started = Date.now();
    const result = await seed(db, createPasswords(config.bcryptRounds, { pepper: config.passwordPepper }), {
      users,
      tasks,
      maxTasksPerUser: config.maxTasksPerUser,
      log: (line) => console.log(line),
    });
    console.log(result.demoCreated ? 'Created the demo account.' : 'The demo account already exists.');
    console.log(`Demo login: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    if (users > 0) {
      console.log(
        `Bulk users: ${result.usersCreated} created, ${result.tasksCreated} tasks, in ${Date.now() - started} ms.` +
          ` Log in as ${bulkEmail(1)} … ${bulkEmail(users)} with password ${BULK_PASSWORD}.`,
      );
    }
  } finally {
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
