/**
 * `npm run backend`: serves the local backend until stopped.
 * `npm run db:reset`: starts over from an empty database (migrations and seed), then exits.
 *   PORT (default 54321), DATA_DIR (default .local), DATABASE_URL (use a PostgreSQL server).
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { denoDir } from './functions/deno'
import { startLocalBackend } from './server'

async function main() {
  const args = new Set(process.argv.slice(2))
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(__dirname, '..', '..', '.local'))
  const backend = await startLocalBackend({
    port: process.env.PORT ? Number(process.env.PORT) : 54321,
    dataDir,
    databaseUrl: process.env.DATABASE_URL || undefined,
    reset: args.has('--reset'),
    log: (line) => console.log(`  ${line}`),
  })
  if (args.has('--exit')) {
    console.log(`Database ready (${backend.db.kind}); keys in ${path.join(dataDir, 'env.json')}`)
    await backend.close()
    return
  }
  console.log(`API ready at ${backend.url}`)
  // Functions start --cached-only: without the install step's cache, sign-in cannot work. Say so once.
  if (!existsSync(path.join(denoDir(), 'npm'))) {
    console.log(`✖ The edge functions' packages are not installed (${denoDir()} is empty): run \`npm ci\` or \`npm run install:functions\`.`)
  }
  if (backend.wechat) console.log(`Fake WeChat API at ${backend.wechat.url} (demo sign-in codes: demo:admin, demo:butler1, demo:worker1, …)`)
  const stop = async () => {
    await backend.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  process.exit(1)
})
