/**
 * How the local backend runs Deno: the binary from the npm package `deno`, a project-local DENO_DIR that
 * the install step fills (`npm ci` → scripts/install-function-deps.ts), and the variables a Deno process
 * may see. Shared by the functions runner, the install step and the `deno check` / `deno lint` test step,
 * so all three resolve the same cache.
 */
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(__dirname, '..', '..', '..')

// The deno package ships its binary as an optional dependency; install_api finds the one for this
// platform (no install script needed).
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const denoBinary: string = require('deno/install_api.cjs').runInstall()

export const functionsDir = path.join(root, 'supabase', 'functions')
export const functionsConfig = path.join(functionsDir, 'deno.json')
export const hostEntry = path.join(__dirname, 'host.ts')

/**
 * Deno's cache for the functions' npm packages. It lives in node_modules, so `npm ci` starts it empty and
 * its postinstall fills it again: a warm cache elsewhere on the machine can never hide a missing step.
 * LOCAL_DENO_DIR moves it (tests of the install step use a throwaway folder).
 */
export function denoDir(): string {
  return process.env.LOCAL_DENO_DIR ? path.resolve(process.env.LOCAL_DENO_DIR) : path.join(root, 'node_modules', '.deno')
}

/**
 * Network trust and proxy settings a Deno process needs to reach the registry (install) or WeChat
 * (functions) from behind a TLS-intercepting proxy. Nothing else from the developer's shell passes.
 */
export const PASSED_THROUGH = [
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'DENO_CERT',
  'DENO_TLS_CA_STORE',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'https_proxy',
  'http_proxy',
  'no_proxy',
] as const

/** The environment for a Deno child process: PATH, HOME, DENO_DIR, the trust/proxy settings, then `extra`. */
export function denoEnv(extra: Record<string, string> = {}, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = { PATH: source.PATH ?? '', HOME: source.HOME ?? '', DENO_DIR: denoDir(), NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }
  for (const name of PASSED_THROUGH) {
    const v = source[name]
    if (v) env[name] = v
  }
  // Deno trusts its bundled Mozilla roots only; a CA that lives in the system store (or in the file Node
  // is told about) must be named to it.
  if (!env.DENO_TLS_CA_STORE) env.DENO_TLS_CA_STORE = 'mozilla,system'
  if (!env.DENO_CERT && env.NODE_EXTRA_CA_CERTS && existsSync(env.NODE_EXTRA_CA_CERTS)) env.DENO_CERT = env.NODE_EXTRA_CA_CERTS
  return { ...env, ...extra }
}

/** Every function's entry point: supabase/functions/<name>/index.ts (folders starting with _ are shared code). */
export function functionEntries(dir = functionsDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
    .map((d) => path.join(dir, d.name, 'index.ts'))
    .filter((f) => existsSync(f))
}
