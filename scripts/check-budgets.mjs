#!/usr/bin/env node
// Measures the builds against budgets.json and fails when one is over.
//   node scripts/check-budgets.mjs          check dist/weapp and dist/h5
//   node scripts/check-budgets.mjs --write  also write the size table into BENCHMARKS.md
// weapp: total, main package (everything outside the subpackage roots listed in dist/weapp/app.json),
// each subpackage, and the largest files. h5: total JS and CSS, and the gzip size of the entry JS (the
// scripts index.html loads before the first page).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const budgets = JSON.parse(readFileSync(path.join(root, 'budgets.json'), 'utf8'))
const write = process.argv.includes('--write')

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((name) => path.join(dir, String(name)))
    .filter((file) => statSync(file).isFile())
}

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KB`
const rows = []
let failures = 0

function check(measurement, size, budget, shown = kib) {
  const over = budget !== undefined && size > budget
  if (over) failures++
  rows.push({ measurement, size: shown(size), budget: budget === undefined ? '' : shown(budget), ok: over ? 'OVER' : 'ok' })
}

function requireBuild(dir, command) {
  if (existsSync(dir)) return true
  console.error(`✖ ${path.relative(root, dir)} is missing: run \`${command}\` first`)
  failures++
  return false
}

// weapp
const weapp = path.join(root, 'dist', 'weapp')
const largest = []
if (requireBuild(weapp, 'npm run build:weapp')) {
  const appJson = JSON.parse(readFileSync(path.join(weapp, 'app.json'), 'utf8'))
  const roots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/\/?$/, '/'))
  const files = filesUnder(weapp)
    .map((file) => ({ rel: path.relative(weapp, file).split(path.sep).join('/'), size: statSync(file).size }))
    // Not part of any package uploaded to WeChat.
    .filter((f) => f.rel !== 'project.config.json' && f.rel !== 'project.private.config.json' && !f.rel.endsWith('.map'))
  const sum = (list) => list.reduce((total, f) => total + f.size, 0)
  const inRoot = (f, r) => f.rel.startsWith(r)
  check('weapp total (all packages)', sum(files), budgets.weapp.total)
  check('weapp main package', sum(files.filter((f) => !roots.some((r) => inRoot(f, r)))), budgets.weapp.mainPackage)
  for (const r of roots) check(`weapp subpackage ${r}`, sum(files.filter((f) => inRoot(f, r))), budgets.weapp.subpackage)
  largest.push(...files.sort((a, b) => b.size - a.size).slice(0, 5))
}

// h5
const h5 = path.join(root, 'dist', 'h5')
if (requireBuild(h5, 'npm run build:h5')) {
  const files = filesUnder(h5).filter((file) => !file.endsWith('.map'))
  const bytesOf = (ext) => files.filter((f) => f.endsWith(ext)).reduce((total, f) => total + statSync(f).size, 0)
  const html = readFileSync(path.join(h5, 'index.html'), 'utf8')
  const entryScripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => path.join(h5, m[1].replace(/^\//, '')))
  const entryGzip = entryScripts.reduce((total, file) => total + gzipSync(readFileSync(file), { level: 9 }).length, 0)
  check(`h5 entry JS, gzip (${entryScripts.length} files)`, entryGzip, budgets.h5.entryJsGzip)
  check('h5 total JS', bytesOf('.js'), budgets.h5.totalJs)
  check('h5 total CSS', bytesOf('.css'), budgets.h5.totalCss)
}

const table = [
  '| measurement | size | budget | |',
  '| --- | ---: | ---: | --- |',
  ...rows.map((r) => `| ${r.measurement} | ${r.size} | ${r.budget} | ${r.ok} |`),
]
if (largest.length > 0) {
  table.push('', 'Largest weapp files:', '', '| file | size |', '| --- | ---: |', ...largest.map((f) => `| ${f.rel} | ${kib(f.size)} |`))
}
console.log(table.join('\n'))

if (write) {
  const file = path.join(root, 'BENCHMARKS.md')
  const block = [
    '<!-- sizes:start -->',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`node scripts/check-budgets.mjs --write\` after \`npm run build:weapp\` and \`npm run build:h5\`; budgets in budgets.json (1 KB = 1024 bytes).`,
    '',
    ...table,
    '<!-- sizes:end -->',
  ].join('\n')
  let text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  if (/<!-- sizes:start -->[\s\S]*<!-- sizes:end -->/.test(text)) {
    text = text.replace(/<!-- sizes:start -->[\s\S]*<!-- sizes:end -->/, block)
  } else {
    text = `${text.replace(/\s*$/, '')}\n\n## Size\n\nBuild sizes against the budgets (\`node scripts/check-budgets.mjs\`, run by \`npm test\`).\n\n${block}\n`
  }
  writeFileSync(file, text)
  console.log(`\nwrote the size table to ${path.relative(root, file)}`)
}

if (failures > 0) {
  console.error(`\n✖ ${failures} size budget(s) exceeded or builds missing`)
  process.exit(1)
}
console.log('\n✔ all size budgets met')
