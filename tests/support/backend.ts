/**
 * Starts the local backend for a test file: PGlite in memory by default; with DATABASE_URL set, a fresh
 * database created on that PostgreSQL server for this test file alone and dropped afterwards.
 * The local scheduler (the local pg_cron) is off unless a test asks for it (`scheduler: true` or
 * `{ intervalMs }`), so no push is dispatched behind a test's back.
 *
 * Every test file's database starts as a copy of one migrated and seeded database made once per test
 * run by ./global-setup.ts (the backend project), instead of each file migrating its own:
 * - PGlite: a copy of the data folder (dumpDataDir) in a temporary file; each backend opens its own
 *   in-memory PGlite from it (loadDataDir), which also skips PGlite's initdb, the slow part of a start.
 * - PostgreSQL: a template database; each backend gets `create database … template …`.
 * Each file still has a database of its own, as after a fresh migrate and seed; the backend then starts
 * as it always does (bootstrap and pending migrations checked, schema cache loaded, its own keys).
 *
 * The copy is made anew for every run, never reused from an earlier one: the seed writes times relative
 * to now() (posts published "2 days ago", one scheduled "in 2 days"), which an old copy would get wrong.
 * Its key, a hash of everything that decides the database's contents, names it and guards its use: a
 * backend whose migrations, seed or bootstrap no longer hash to the key (a file edited during the run),
 * one given its own migrations or seed, or one started outside the backend project (no copy provided)
 * migrates a fresh database as before.
 */
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { inject } from 'vitest'
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '../../supabase/local/server'
import { connectRemoteBackend } from './remote-backend'
import { adminQuery, databaseUrl, dropDatabase, testDatabaseKey, type TestDatabase } from './test-database'

export type TestBackend = LocalBackend

export async function startTestBackend(opts: Omit<LocalBackendOptions, 'port' | 'dataDir' | 'databaseUrl' | 'loadDataDir'> = {}): Promise<TestBackend> {
  if (process.env.SUPABASE_URL) return connectRemoteBackend()
  const serverUrl = process.env.DATABASE_URL
  const copy = opts.migrationsDir === undefined && opts.seedFile === undefined ? usableTestDatabase(serverUrl) : null
  if (!serverUrl) {
    const loadDataDir = copy?.kind === 'pglite' ? await pgliteCopy(copy.file) : undefined
    return startLocalBackend({ port: 0, dataDir: null, scheduler: false, ...opts, loadDataDir })
  }

  const name = `cg_test_${randomBytes(6).toString('hex')}`
  await adminQuery(serverUrl, copy?.kind === 'postgres' ? `create database ${name} template ${copy.template}` : `create database ${name}`)
  const backend = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: databaseUrl(serverUrl, name), scheduler: false, ...opts })
  return {
    ...backend,
    async close() {
      await backend.close()
      await dropDatabase(serverUrl, name)
    },
  }
}

/** The run's database copy for this kind of database, if one was provided and still matches the files. */
function usableTestDatabase(serverUrl: string | undefined): TestDatabase | null {
  const copy = inject('testDatabase')
  if (!copy || copy.kind !== (serverUrl ? 'postgres' : 'pglite')) return null
  return copy.key === testDatabaseKey() ? copy : null
}

let pgliteCopyCache: { file: string; blob: Promise<Blob> } | null = null
function pgliteCopy(file: string): Promise<Blob> {
  if (pgliteCopyCache?.file !== file) pgliteCopyCache = { file, blob: readFile(file).then((b) => new Blob([b])) }
  return pgliteCopyCache.blob
}
