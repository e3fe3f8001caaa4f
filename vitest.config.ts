import { defineConfig } from 'vitest/config';

/**
 * One suite, two databases: `DB_URL` (mysql://…) selects MariaDB/MySQL, otherwise each
 * test file gets its own SQLite file. Files run one at a time against MySQL because they
 * share one database; SQLite files are independent and run in parallel.
 */
const onMysql = (process.env.DB_URL ?? '').startsWith('mysql');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: !onMysql,
    reporters: ['default'],
  },
});
