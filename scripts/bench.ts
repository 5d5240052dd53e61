/**
 * `npm run bench`: measurements at scale on real PostgreSQL (DATABASE_URL, default the server on
 * 127.0.0.1:5432), through the local backend and the real supabase-js client. Results go to
 * BENCHMARKS.md between `<!-- bench:start -->` and `<!-- bench:end -->`.
 *
 * Measured now: the home feed as the app reads it (feed_posts: 20 newest published posts with authors,
 * pinned first) over 10,000 posts, as a signed-in worker with RLS on, one client at a time (latency) and
 * 8 at once (throughput); bulk writes and a one-row GET under abuse (./bench/rest.ts); uploads, signed-URL
 * downloads of a 2 MB image and 100 signed URLs in one call (./bench/storage.ts); the push dispatcher (notify-dispatch on Deno) draining
 * a backlog of 5,000 pushes through the fake WeChat API answering each call after 20 ms, one dispatcher
 * called again until the outbox is empty (as pg_cron would). Groups and messages at scale
 * (./bench/groups.ts: 100,000 workers, 2,000 groups, 1,000,000 messages) and the question desk
 * (./bench/questions.ts: butler queue and FAQ suggestions over 200,000 questions, persona against service
 * role) and subsidy applications (./bench/applications.ts: my applications and the review queue over
 * 50,000 applications, persona against service role) go to sections of their own.
 * The monthly batch (./bench/batches.ts: the batch page, the batches list and the completeness check of a
 * 5,000-application batch among 50,000 applications, persona against service role, and the .xlsx export
 * through the edge function) goes to a section of its own.
 * The posts reading paths at 50,000 posts (feed page, search, my bookmarks) as a worker and as the
 * service role, in the database (./bench/posts.ts), join the main table.
 */
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { startLocalBackend, type LocalBackend } from '../supabase/local/server'
import { clientAs } from '../tests/support/clients'
import { benchApplications, writeApplicationsSection } from './bench/applications'
import { benchBatches, writeBatchesSection } from './bench/batches'
import { benchGroups, groupsTable, writeGroupsSection } from './bench/groups'
import { benchQuestions, writeQuestionsSection } from './bench/questions'
import { benchPosts } from './bench/posts'
import { benchRest } from './bench/rest'
import { benchStorage } from './bench/storage'

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const POSTS = Number(process.env.BENCH_POSTS ?? 10_000)
const SEQUENTIAL = 300
const CONCURRENT = 8
const PER_WORKER = 100
const PUSHES = Number(process.env.BENCH_PUSHES ?? 5_000)
const WECHAT_LATENCY_MS = 20

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function main() {
  const name = `cg_bench_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const be = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: url.toString(), scheduler: false })
  try {
    await be.db.query(
      `insert into public.posts (kind, title, summary, status, pinned, published_at, author_id)
       select (array['policy','project','story','notice']::public.post_kind[])[1 + g % 4],
              '第' || g || '期 创业政策速递', '摘要', 'published', false,
              now() - make_interval(mins => g), '00000000-0000-4000-8000-000000000002'
         from generate_series(1, $1) g`,
      [POSTS],
    )
    await be.db.query('analyze public.posts')
    // The query of src/services/posts/posts-query.ts (getFeed), as worker1 with row-level security on.
    const client = await clientAs(be, 'worker1')
    const feed = async () => {
      const { data, error } = await client
        .rpc('feed_posts', undefined, { get: true })
        .select('id, kind, title, summary, pinned, published_at, author:profiles!author_id(display_name)')
        .limit(20)
      if (error || data?.length !== 20) throw new Error(`feed failed: ${error?.message ?? data?.length}`)
    }
    for (let i = 0; i < 20; i++) await feed() // warm up
    const times: number[] = []
    for (let i = 0; i < SEQUENTIAL; i++) {
      const t0 = performance.now()
      await feed()
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const t0 = performance.now()
    await Promise.all(Array.from({ length: CONCURRENT }, async () => {
      for (let i = 0; i < PER_WORKER; i++) await feed()
    }))
    const rps = (CONCURRENT * PER_WORKER) / ((performance.now() - t0) / 1000)

    const pushes = await benchDispatcher(be)
    const rest = await benchRest(serverUrl)
    const storage = await benchStorage(serverUrl)
    const postsRows = await benchPosts(serverUrl)

    const rows = [
      `| home feed (feed_posts as a worker, RLS on), 20 of ${POSTS.toLocaleString('en')} posts with authors, 1 client | p50 ${pct(times, 50).toFixed(1)} ms · p95 ${pct(times, 95).toFixed(1)} ms · p99 ${pct(times, 99).toFixed(1)} ms (${SEQUENTIAL} requests) |`,
      `| home feed, ${CONCURRENT} clients at once | ${rps.toFixed(0)} requests/s (${CONCURRENT * PER_WORKER} requests) |`,
      `| push dispatcher, 1 dispatcher, fake WeChat answering in ${WECHAT_LATENCY_MS} ms | ${pushes.rate.toFixed(0)} pushes/s (${PUSHES.toLocaleString('en')} pushes in ${pushes.seconds.toFixed(1)} s, ${pushes.calls} dispatcher calls) |`,
      ...[...rest, ...storage, ...postsRows].map((r) => `| ${r.name} | ${r.value}${r.note ? ` (${r.note})` : ''} |`),
    ]
    const table = [
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` on PostgreSQL (${serverUrl.replace(/\/\/[^@]*@/, '//')}), ${os.cpus().length} cores, Node ${process.version}; local backend and supabase-js in one process.`,
      '',
      '| measurement | result |',
      '| --- | --- |',
      ...rows,
    ].join('\n')
    console.log(table)
    const file = path.resolve(__dirname, '..', 'BENCHMARKS.md')
    let text = await readFile(file, 'utf8').catch(() => '# Benchmarks\n')
    const block = `<!-- bench:start -->\n${table}\n<!-- bench:end -->`
    text = /<!-- bench:start -->[\s\S]*<!-- bench:end -->/.test(text)
      ? text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, block)
      : `${text.trimEnd()}\n\n## Speed\n\n${block}\n`
    await writeFile(file, text)

    const groupsSection = groupsTable(await benchGroups(serverUrl), serverUrl)
    console.log(groupsSection)
    await writeGroupsSection(groupsSection)

    const questions = await benchQuestions(serverUrl)
    await writeQuestionsSection(questions.rows, serverUrl)

    const applications = await benchApplications(serverUrl)
    await writeApplicationsSection(applications.rows, serverUrl)
    const batches = await benchBatches(serverUrl)
    await writeBatchesSection(batches.rows, serverUrl)
  } finally {
    await be.close()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

/** One dispatcher draining PUSHES pending pushes of 100 people; every push must be sent exactly once. */
async function benchDispatcher(be: LocalBackend): Promise<{ rate: number; seconds: number; calls: number }> {
  const people = 100
  const uuid = `('00000000-0000-4000-9000-' || lpad(i::text, 12, '0'))::uuid`
  await be.db.query(`insert into public.profiles (id, display_name) select ${uuid}, '压测' || i from generate_series(1, $1) i`, [people])
  await be.db.query(`insert into private.wechat_identities (user_id, openid) select ${uuid}, 'o_bench_' || i from generate_series(1, $1) i`, [people])
  await be.db.query(
    `insert into public.push_subscriptions (user_id, template, remaining) select ${uuid}, 'account_change', $2 from generate_series(1, $1) i`,
    [people, PUSHES],
  )
  const dispatch = async () => {
    const res = await fetch(`${be.url}/functions/v1/notify-dispatch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${be.serviceRoleKey}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    const body = (await res.json()) as { claimed: number; sent: number }
    if (res.status !== 200) throw new Error(`notify-dispatch answered ${res.status}: ${JSON.stringify(body)}`)
    return body
  }
  await dispatch() // starts the function's Deno process and fetches the access token
  await be.db.query(
    `insert into public.notifications (recipient_id, kind, title, link, dedupe_key, push_template, push_status)
     select ('00000000-0000-4000-9000-' || lpad((1 + g % $2)::text, 12, '0'))::uuid, 'bench', '压测消息第' || g || '条',
            '/pages/me/index', 'bench:' || g, 'account_change', 'pending'
       from generate_series(1, $1) g`,
    [PUSHES, people],
  )
  await be.db.query('analyze public.notifications')
  be.wechat!.reset()
  be.wechat!.setLatency(WECHAT_LATENCY_MS)
  const t0 = performance.now()
  let sent = 0
  let calls = 0
  for (;;) {
    const r = await dispatch()
    calls++
    sent += r.sent
    if (r.claimed === 0) break
  }
  const seconds = (performance.now() - t0) / 1000
  const sends = be.wechat!.calls('subscribe_send')
  const distinct = new Set(sends.map((c) => `${c.params.touser} ${JSON.stringify(c.params.data)}`)).size
  if (sent !== PUSHES || sends.length !== PUSHES || distinct !== PUSHES) {
    throw new Error(`dispatcher sent ${sent}, WeChat saw ${sends.length} calls (${distinct} distinct) for ${PUSHES} pushes`)
  }
  return { rate: PUSHES / seconds, seconds, calls }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
