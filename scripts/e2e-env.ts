/**
 * Prepares the signing key for the browser tests' backend (.local/e2e) and prints the environment the
 * H5 build needs to talk to it: `npm test` builds once with these values, and tests/browser starts the
 * backend on the same port with the same key.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { loadKeys } from '../supabase/local/keys'

export const E2E_PORT = Number(process.env.E2E_PORT ?? 54399)
export const e2eDataDir = path.resolve(__dirname, '..', '.local', 'e2e')

async function main() {
  await mkdir(e2eDataDir, { recursive: true })
  const keys = await loadKeys(e2eDataDir)
  const env = { url: `http://127.0.0.1:${E2E_PORT}`, anonKey: keys.anonKey }
  await writeFile(path.join(e2eDataDir, 'build-env.json'), JSON.stringify(env, null, 2))
  process.stdout.write(JSON.stringify(env))
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
