/**
 * Starts the local backend for a test file: PGlite in memory by default; with DATABASE_URL set, a fresh
 * database created on that PostgreSQL server for this test file alone and dropped afterwards.
 * The local scheduler (the local pg_cron) is off unless a test asks for it (`scheduler: true` or
 * `{ intervalMs }`), so no push is dispatched behind a test's back.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '../../supabase/local/server'
import { connectRemoteBackend } from './remote-backend'

export type TestBackend = LocalBackend

export async function startTestBackend(opts: Omit<LocalBackendOptions, 'port' | 'dataDir' | 'databaseUrl'> = {}): Promise<TestBackend> {
  if (process.env.SUPABASE_URL) return connectRemoteBackend()
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl) return startLocalBackend({ port: 0, dataDir: null, scheduler: false, ...opts })

  const name = `cg_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const backend = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: url.toString(), scheduler: false, ...opts })
  return {
    ...backend,
    async close() {
      await backend.close()
      const c = new pg.Client({ connectionString: serverUrl })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}
