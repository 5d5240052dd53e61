/**
 * The migrated and seeded database every test backend starts from (see ./backend.ts), made once per
 * test run by ./global-setup.ts. No import of vitest here: the global setup runs outside the test
 * workers, where vitest's test API is not available.
 */
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { openPglite, openPostgres } from '../../supabase/local/db'
import { migrate, supabaseDir } from '../../supabase/local/migrate'

export type TestDatabase =
  | { kind: 'pglite'; key: string; file: string }
  | { kind: 'postgres'; key: string; template: string }

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by tests/support/global-setup.ts for the backend project. */
    testDatabase?: TestDatabase
  }
}

const root = path.resolve(supabaseDir, '..')

/**
 * A hash of the bootstrap, the migrations, the seed, the code that applies them and the PGlite version
 * (a data folder is only readable by the PGlite that wrote it).
 */
export function testDatabaseKey(): string {
  const h = createHash('sha256')
  const add = (file: string) => h.update(`${path.relative(root, file)}\0`).update(readFileSync(file)).update('\0')
  const migrations = path.join(supabaseDir, 'migrations')
  for (const f of readdirSync(migrations).filter((f) => f.endsWith('.sql')).sort()) add(path.join(migrations, f))
  add(path.join(supabaseDir, 'seed.sql'))
  add(path.join(supabaseDir, 'local', 'bootstrap.sql'))
  add(path.join(supabaseDir, 'local', 'migrate.ts'))
  add(path.join(supabaseDir, 'local', 'db.ts'))
  const pglite = JSON.parse(readFileSync(path.join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }
  h.update(`pglite ${pglite.version}`)
  return h.digest('hex').slice(0, 12)
}

/** Migrates and seeds an in-memory PGlite and returns a copy of its data folder. */
export async function pgliteSnapshot(): Promise<Blob> {
  const db = await openPglite(undefined)
  try {
    await migrate(db)
    return await db.dumpDataDir!()
  } finally {
    await db.close()
  }
}

export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

const TEMPLATE_PREFIX = 'cg_tpl_'

/**
 * Creates and migrates a template database on the server, named for the key, the time and a random
 * part (test runs of other checkouts share the server, so two runs never build or drop the same one).
 */
export async function createTemplateDatabase(serverUrl: string, key: string): Promise<string> {
  const name = `${TEMPLATE_PREFIX}${key}_${Math.floor(Date.now() / 1000).toString(36)}_${randomBytes(3).toString('hex')}`
  await adminQuery(serverUrl, `create database ${name}`)
  try {
    const db = await openPostgres(databaseUrl(serverUrl, name))
    try {
      await migrate(db)
    } finally {
      await db.close()
    }
  } catch (e) {
    await dropDatabase(serverUrl, name)
    throw e
  }
  return name
}

/** Drops template databases older than a day: left behind by runs that were killed before teardown. */
export async function dropStaleTemplates(serverUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl })
  await c.connect()
  try {
    const r = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${TEMPLATE_PREFIX}%`])
    const dayAgo = Date.now() / 1000 - 24 * 60 * 60
    for (const { datname } of r.rows) {
      const made = parseInt(datname.split('_')[3] ?? '', 36)
      if (Number.isFinite(made) && made < dayAgo) await c.query(`drop database if exists ${datname} with (force)`)
    }
  } finally {
    await c.end()
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await adminQuery(serverUrl, `drop database if exists ${name} with (force)`)
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: serverUrl })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}
