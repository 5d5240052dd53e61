/**
 * Install step for the edge functions (run by `npm ci` / `npm install` as the postinstall script):
 * fetches every npm package the functions import, at the versions in supabase/functions/deno.lock, into
 * the project-local DENO_DIR (supabase/local/functions/deno.ts). After this the local backend starts
 * its functions with `--cached-only` and needs no network. `supabase functions deploy` is unaffected:
 * the functions keep their `npm:` imports and deno.json.
 */
import { spawnSync } from 'node:child_process'
import { denoBinary, denoDir, denoEnv, functionEntries, functionsConfig, functionsDir, hostEntry } from '../supabase/local/functions/deno'

const entries = [...functionEntries(), hostEntry]
const t0 = Date.now()
const r = spawnSync(denoBinary, ['install', '--quiet', '--frozen', '--config', functionsConfig, '--entrypoint', ...entries], {
  cwd: functionsDir,
  env: denoEnv(),
  stdio: 'inherit',
})
if (r.status !== 0) {
  console.error(
    `✖ could not fetch the edge functions' packages into ${denoDir()} (deno exited ${r.status ?? r.signal}).\n` +
      '  Behind a TLS-intercepting proxy, set NODE_EXTRA_CA_CERTS or DENO_CERT to its CA file, then run `npm run install:functions`.',
  )
  process.exit(1)
}
console.log(`✔ edge-function packages cached in ${denoDir()} (${((Date.now() - t0) / 1000).toFixed(1)}s)`)
