#!/usr/bin/env node
// `npm start`: the local backend (PGlite under .local/ unless DATABASE_URL is set) and the H5 dev server
// pointed at it. Ctrl-C stops both.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.local')
const h5Port = process.env.H5_PORT ?? '10086'
const children = []

function stopAll(code = 0) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  setTimeout(() => process.exit(code), 500).unref()
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))

const backend = spawn(bin('tsx'), ['supabase/local/main.ts'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] })
children.push(backend)
backend.on('exit', (code) => {
  console.error(`backend stopped (${code})`)
  stopAll(code ?? 1)
})

let started = false
backend.stdout.setEncoding('utf8')
backend.stdout.on('data', (chunk) => {
  process.stdout.write(chunk.replace(/^/gm, '[backend] ').replace(/\[backend\] $/, ''))
  const m = /API ready at (\S+)/.exec(chunk)
  if (m && !started) {
    started = true
    startH5(m[1])
  }
})

function startH5(apiUrl) {
  const { anonKey } = JSON.parse(readFileSync(path.join(dataDir, 'env.json'), 'utf8'))
  const h5 = spawn(bin('taro'), ['build', '--type', 'h5', '--watch'], {
    cwd: root,
    env: {
      ...process.env,
      TARO_APP_SUPABASE_URL: process.env.TARO_APP_SUPABASE_URL ?? apiUrl,
      TARO_APP_SUPABASE_ANON_KEY: process.env.TARO_APP_SUPABASE_ANON_KEY ?? anonKey,
      H5_PORT: h5Port,
    },
    stdio: 'inherit',
  })
  children.push(h5)
  h5.on('exit', (code) => stopAll(code ?? 1))
  console.log(`\n  API:    ${apiUrl}\n  H5 app: http://127.0.0.1:${h5Port}/ (ready once the first build finishes)\n  Demo people and posts: see README.md\n`)
}
