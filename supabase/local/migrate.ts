/**
 * Brings a database to the project's schema: the Supabase bootstrap, then every migration in
 * supabase/migrations/ not yet recorded in supabase_migrations.schema_migrations, then (on a new
 * database only) supabase/seed.sql.
 */
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Db } from './db'

export const supabaseDir = path.resolve(__dirname, '..')

export interface MigrateOptions {
  migrationsDir?: string
  seedFile?: string | null
  log?: (line: string) => void
}

export interface MigrateResult {
  applied: string[]
  seeded: boolean
}

export async function migrate(db: Db, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const migrationsDir = opts.migrationsDir ?? path.join(supabaseDir, 'migrations')
  const seedFile = opts.seedFile === undefined ? path.join(supabaseDir, 'seed.sql') : opts.seedFile
  const log = opts.log ?? (() => undefined)

  const fresh = !(
    await db.query(`select to_regclass('supabase_migrations.schema_migrations') is not null as present`)
  ).rows[0]?.present
  await db.exec(await readFile(path.join(__dirname, 'bootstrap.sql'), 'utf8'))

  const done = new Set(
    (await db.query('select version from supabase_migrations.schema_migrations')).rows.map((r) => String(r.version)),
  )
  const files = (await readdir(migrationsDir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()
  const applied: string[] = []
  for (const file of files) {
    const [version, ...rest] = file.replace(/\.sql$/, '').split('_')
    if (done.has(version)) continue
    const sql = await readFile(path.join(migrationsDir, file), 'utf8')
    await db.transaction(async (tx) => {
      await tx.exec(sql).catch((e: unknown) => {
        throw Object.assign(e as Error, { message: `${file}: ${(e as Error).message}` })
      })
      await tx.query('insert into supabase_migrations.schema_migrations (version, name) values ($1, $2)', [
        version,
        rest.join('_'),
      ])
    })
    applied.push(file)
    log(`applied migration ${file}`)
  }

  let seeded = false
  if (fresh && seedFile) {
    const seed = await readFile(seedFile, 'utf8').catch(() => null)
    if (seed) {
      await db.exec(seed)
      seeded = true
      log(`seeded from ${path.basename(seedFile)}`)
    }
  }
  return { applied, seeded }
}
