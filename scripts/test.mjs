#!/usr/bin/env node
// `npm test`: everything, in order, stopping at the first failure.
//   typecheck → lint → edge functions (deno check, deno lint) → generated types up to date → unit tests → backend tests (PGlite, or PostgreSQL when
//   DATABASE_URL is set) → weapp and h5 builds against the browser tests' backend → size budgets →
//   browser tests in real Chromium.
// SKIP_BUILD=1 skips the builds, budgets and browser tests (quick local loop).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const started = Date.now()
const timings = []

function summary() {
  return `${timings.join('\n  ')}\n  total: ${((Date.now() - started) / 1000).toFixed(1)}s`
}

function step(name, cmd, args, env = {}) {
  const t0 = Date.now()
  console.log(`\n▶ ${name}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  const secs = ((Date.now() - t0) / 1000).toFixed(1)
  timings.push(`${name}: ${secs}s`)
  if (r.status !== 0) {
    console.error(`\n✖ ${name} failed (exit ${r.status ?? r.signal}) after ${secs}s\n  ${summary()}`)
    process.exit(r.status || 1)
  }
  console.log(`◀ ${name}: ${secs}s`)
}

function capture(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) {
    console.error(r.stderr)
    process.exit(r.status || 1)
  }
  return r.stdout
}

step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])
step('lint', bin('eslint'), ['.'])
step('edge functions: deno check and deno lint', bin('tsx'), ['scripts/check-functions.ts'])
step('generated database types are current', bin('tsx'), ['scripts/gen-types.ts', '--check'])
step('unit tests', bin('vitest'), ['run', '--project', 'unit'])
// The backend project migrates and seeds once (tests/support/global-setup.ts); each file starts from a copy.
step('backend tests', bin('vitest'), ['run', '--project', 'backend'])

if (!process.env.SKIP_BUILD) {
  const e2e = JSON.parse(capture(bin('tsx'), ['scripts/e2e-env.ts']))
  // Demo sign-in on: the browser journeys sign in with the seeded people (no WeChat in Chromium).
  const buildEnv = {
    TARO_APP_SUPABASE_URL: e2e.url,
    TARO_APP_SUPABASE_ANON_KEY: e2e.anonKey,
    TARO_APP_DEMO_LOGIN: 'true',
    NODE_ENV: 'production',
  }
  step('build weapp', bin('taro'), ['build', '--type', 'weapp'], buildEnv)
  step('build h5', bin('taro'), ['build', '--type', 'h5'], buildEnv)
  step('size budgets', process.execPath, ['scripts/check-budgets.mjs'])
  step('browser tests', bin('vitest'), ['run', '--project', 'browser'])
}

console.log(`\n✔ all checks passed in ${((Date.now() - started) / 1000).toFixed(0)}s\n  ${summary()}`)
