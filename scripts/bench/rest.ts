/**
 * Benchmarks of /rest/v1 under bulk writes, on real PostgreSQL through the local backend:
 * (a) one 10,000-row insert into posts as the service role, and as a signed-in butler with row-level
 *     security checking every row;
 * (b) the latency of a one-row GET while ten 10,000-row inserts run at once: five from the anon key
 *     (refused: anon may not insert posts) and five from a worker (refused by row-level security).
 *
 * `benchRest(url)` creates a database of its own on the server `url` points at and drops it after.
 * Standalone: `npx tsx scripts/bench/rest.ts` (DATABASE_URL, default the server on 127.0.0.1:5432).
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { startLocalBackend, type LocalBackend } from '../../supabase/local/server'
import { people } from '../../tests/support/clients'

const ROWS = 10_000
const ABUSERS = 10 // half anon, half a worker
const GETS = 50
const BUTLER = people.butler1
const WORKER = people.worker1

export interface BenchRow {
  name: string
  value: string
  note?: string
}

function postsBody(n: number, tag: string) {
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ kind: 'notice', title: `批量 ${tag} ${i}`, summary: '摘要', tags: ['批量'], author_id: BUTLER })),
  )
}

async function post(be: LocalBackend, path: string, key: string, token: string, body: string, prefer = 'return=minimal') {
  const res = await fetch(`${be.url}/rest/v1${path}`, {
    method: 'POST',
    headers: { apikey: key, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Prefer: prefer },
    body,
  })
  await res.arrayBuffer()
  return res.status
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const out = await fn()
  return [out, performance.now() - t0]
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

export async function benchRest(databaseUrl: string): Promise<BenchRow[]> {
  const name = `cg_bench_rest_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  const be = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: url.toString(), scheduler: false })
  try {
    const butler = await be.signToken({ sub: BUTLER })
    const worker = await be.signToken({ sub: WORKER })
    const rows: BenchRow[] = []
    const bodyBytes = Buffer.byteLength(postsBody(ROWS, 'x'))

    // (a) bulk inserts; a small one first so the first measured request is not a cold start
    await post(be, '/posts', be.serviceRoleKey, be.serviceRoleKey, postsBody(10, 'warm'))
    const [asService, serviceMs] = await timed(() => post(be, '/posts', be.serviceRoleKey, be.serviceRoleKey, postsBody(ROWS, 'service')))
    if (asService !== 201) throw new Error(`service insert answered ${asService}`)
    rows.push({ name: `bulk insert, ${ROWS.toLocaleString('en')} posts, service role`, value: `${serviceMs.toFixed(0)} ms`, note: `${(bodyBytes / 1024 / 1024).toFixed(1)} MB body, return=minimal` })
    const [asButler, butlerMs] = await timed(() => post(be, '/posts', be.anonKey, butler, postsBody(ROWS, 'butler')))
    if (asButler !== 201) throw new Error(`butler insert answered ${asButler}`)
    rows.push({ name: `bulk insert, ${ROWS.toLocaleString('en')} posts, signed-in butler (RLS on)`, value: `${butlerMs.toFixed(0)} ms`, note: 'each row checked by "staff write posts as themselves"' })

    // (b) one-row GETs alone, then while ten abusive bulk inserts run
    const getOne = async () => {
      const res = await fetch(`${be.url}/rest/v1/posts?select=id,title&id=eq.10000000-0000-4000-8000-000000000002`, { headers: { apikey: be.anonKey } })
      const data = (await res.json()) as unknown[]
      if (res.status !== 200 || data.length !== 1) throw new Error(`GET answered ${res.status}`)
    }
    const latencies = async () => {
      const times: number[] = []
      for (let i = 0; i < GETS; i++) times.push((await timed(getOne))[1])
      return times.sort((a, b) => a - b)
    }
    for (let i = 0; i < 10; i++) await getOne()
    const quiet = await latencies()
    const abusive = postsBody(ROWS, 'abuse')
    let refused = 0
    const abuse = Promise.all([
      ...Array.from({ length: ABUSERS / 2 }, () => post(be, '/posts', be.anonKey, be.anonKey, abusive)),
      ...Array.from({ length: ABUSERS / 2 }, () => post(be, '/posts', be.anonKey, worker, abusive)),
    ]).then((statuses) => {
      refused = statuses.filter((s) => s === 401 || s === 403).length
    })
    const [busy, abuseMs] = await timed(async () => {
      const t = await latencies()
      await abuse
      return t
    })
    rows.push({ name: 'one-row GET, quiet', value: `p50 ${pct(quiet, 50).toFixed(1)} ms · p95 ${pct(quiet, 95).toFixed(1)} ms`, note: `${GETS} requests` })
    rows.push({
      name: `one-row GET during ${ABUSERS} abusive inserts of ${ROWS.toLocaleString('en')} rows`,
      value: `p50 ${pct(busy, 50).toFixed(1)} ms · p95 ${pct(busy, 95).toFixed(1)} ms`,
      note: `${GETS} requests; ${refused}/${ABUSERS} inserts (anon, worker) refused with 401/403, all done in ${(abuseMs / 1000).toFixed(1)} s`,
    })
    return rows
  } finally {
    await be.close()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  benchRest(url).then(
    (rows) => {
      console.log('| measurement | value | note |\n|---|---|---|')
      for (const r of rows) console.log(`| ${r.name} | ${r.value} | ${r.note ?? ''} |`)
    },
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
