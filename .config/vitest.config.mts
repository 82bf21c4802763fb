import { configDefaults, defineConfig } from 'vitest/config';

// Run from the project root (npm scripts do): include paths are relative to it.
// With TEST_DATABASE_URL set (npm run test:pg) the suite runs on PostgreSQL: *.sqlite.test.ts
// files test what only SQLite has and are left out; *.pg.test.ts files run only then.
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const exclude = [...configDefaults.exclude, onPostgres ? '**/*.sqlite.test.ts' : '**/*.pg.test.ts'];

export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], exclude } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], exclude } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'scale',
          include: ['test/scale/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
