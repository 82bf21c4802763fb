import type { Knex } from 'knex';
import { loadConfig } from './src/config';
import { databaseFile, knexConfig } from './src/db/knex';

// For the knex command line (`npx knex migrate:status`): the database that DATA_DIR names, with
// the app's own settings and migration list. The app and its commands never import this file.
const config: Knex.Config = knexConfig(databaseFile(loadConfig().dataDir));
export default config;
