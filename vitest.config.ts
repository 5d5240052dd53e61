import { defineConfig } from 'vitest/config'

// Three projects: `unit` (pure client and script code), `backend` (database, RLS, local backend
// contract and edge-function tests; PGlite by default, PostgreSQL with DATABASE_URL), and `browser`
// (real Chromium against the H5 build; needs `npm run build:h5` first).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'backend',
          include: ['tests/contract/**/*.test.ts', 'tests/db/**/*.test.ts', 'tests/functions/**/*.test.ts'],
          environment: 'node',
          // Migrates and seeds once per run; every test file's backend starts from a copy (support/backend.ts).
          globalSetup: ['tests/support/global-setup.ts'],
          pool: 'forks',
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
})
