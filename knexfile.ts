import type { Knex } from 'knex';
import { loadConfig } from './src/config';
import { knexConfig } from './src/db/knex';

// For the knex command line (`npx knex migrate:status`): the database that DATABASE_URL names
// (or, unset, the SQLite file in DATA_DIR), with the app's own settings and migration list. The
// app and its commands never import this file.
const config: Knex.Config = knexConfig(loadConfig().database);
export default config;
