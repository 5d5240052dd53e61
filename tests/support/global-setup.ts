/**
 * Once per test run of the backend project: migrates and seeds the database every test backend starts
 * from (see ./backend.ts), and removes it when the run ends. Nothing to do against a remote backend
 * (SUPABASE_URL).
 */
import { randomBytes } from 'node:crypto'
import { rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createTemplateDatabase, dropDatabase, dropStaleTemplates, pgliteSnapshot, testDatabaseKey } from './test-database'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.SUPABASE_URL) return async () => undefined
  const t0 = Date.now()
  const key = testDatabaseKey()
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl) {
    await dropStaleTemplates(serverUrl)
    const template = await createTemplateDatabase(serverUrl, key)
    project.provide('testDatabase', { kind: 'postgres', key, template })
    console.log(`test database: template ${template} migrated and seeded in ${Date.now() - t0} ms`)
    return () => dropDatabase(serverUrl, template)
  }
  const file = path.join(os.tmpdir(), `cg-test-db-${key}-${randomBytes(4).toString('hex')}.tar`)
  await writeFile(file, Buffer.from(await (await pgliteSnapshot()).arrayBuffer()))
  project.provide('testDatabase', { kind: 'pglite', key, file })
  console.log(`test database: PGlite copy migrated and seeded in ${Date.now() - t0} ms`)
  return () => rm(file, { force: true })
}
