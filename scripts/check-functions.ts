/**
 * `deno check` and `deno lint` over the edge functions and the local backend's Deno host
 * (supabase/local/functions/host.ts), with the functions' deno.json: the Deno code that ESLint and tsc
 * leave alone. Run by `npm test`.
 *
 * Offline: the same binary, DENO_DIR and environment as the local backend (supabase/local/functions/
 * deno.ts), whose npm packages the install step has cached; `--frozen` so an import that deno.lock
 * does not list fails here rather than at deploy time. `--cached-only` is passed too, but Deno 2.9
 * still downloads an npm tarball missing from DENO_DIR during `deno check` (it fails with "Failed
 * caching npm package" offline), so it is the filled cache, not the flag, that keeps this offline.
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { denoBinary, denoDir, denoEnv, functionsConfig, functionsDir, hostEntry } from '../supabase/local/functions/deno'

const targets = [functionsDir, hostEntry].map((p) => path.relative(functionsDir, p) || '.')

function run(what: string, args: string[]): void {
  const r = spawnSync(denoBinary, args, { cwd: functionsDir, env: denoEnv(), stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' })
  process.stderr.write(r.stderr ?? '')
  if (r.status === 0) return
  console.error(`✖ ${what} failed (deno exited ${r.status ?? r.signal}).`)
  if (/Failed caching npm package|--cached-only/.test(r.stderr ?? '')) {
    console.error(`  A package missing from ${denoDir()}: the install step did not run or failed: \`npm run install:functions\`.`)
  }
  process.exit(r.status || 1)
}

run('deno check', ['check', '--quiet', '--cached-only', '--frozen', '--config', functionsConfig, ...targets])
run('deno lint', ['lint', '--quiet', '--config', functionsConfig, ...targets])
console.log(`✔ deno check and deno lint: ${targets.join(', ')}`)
