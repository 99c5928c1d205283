// One test run for the whole workspace; server tests open their own databases (PGlite, and Postgres when DATABASE_URL is set).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{server,sdk,widget,dashboard}/src/**/*.test.{ts,tsx}', 'test/e2e/**/*.spec.ts'],
    // Two cores: two test files at a time, each owning its databases.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // CI keeps a JSON report so .ci/run can print the counts.
    reporters: process.env.CI ? ['default', ['json', { outputFile: 'test/artifacts/vitest.json' }]] : ['default'],
  },
});
