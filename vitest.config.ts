import os from 'node:os'
import { defineConfig } from 'vitest/config'

// Three projects: `unit` (pure client and script code), `backend` (database, RLS, local backend
// contract and edge-function tests; PGlite by default, PostgreSQL with DATABASE_URL), and `browser`
// (real Chromium against the H5 build; needs `npm run build:h5` first).
export default defineConfig({
  test: {
    // Vitest's default is one worker less than the cores: on a 2-core machine one file at a time, with
    // the second core idle while a file waits on Deno or HTTP. Two at once measured 96 and 122 s against
    // 144 s for the backend project on PGlite (2 cores shared with other work, so noisy).
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
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
          // One file at a time (each starts the backend the H5 build was made for, on one fixed port).
          // The pool honours a project's singleFork, but takes fileParallelism from the root config only.
          fileParallelism: false,
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
})
