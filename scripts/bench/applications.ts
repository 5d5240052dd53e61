/**
 * Benchmarks of subsidy applications at the issue's scale, on real PostgreSQL, in the database:
 * 500 groups in 50 streets, 20,000 workers (40 per group), 250 butlers (two per group, four groups each),
 * 50,000 applications (two or three per worker, one per programme: 10 % drafts, 15 % submitted, 10 %
 * under review, 5 % waiting for a 补正, 35 % approved, 10 % rejected, 10 % filed, 5 % disbursed) in
 * 600 monthly batches, 400,000 events (eight per application) and 200,000 materials (four each).
 *
 * Measured, each 300 times after a warm-up, as p50/p95 of the query's time seen by a client on the same
 * machine, the persona (role authenticated, RLS on) against the same query as the service role (RLS
 * bypassed) with the persona's id written in:
 *   - my applications: the table select of 我的申报 (`applications?applicant_id=eq.<me>&order=created_at.desc`);
 *   - the review queue: `public.application_review_queue()` as a butler of four groups.
 * Then `EXPLAIN (ANALYZE)` of each query, reporting the indexes the plan uses.
 *
 * `benchApplications(url)` creates a database of its own on the server `url` points at and drops it after.
 * Standalone: `npx tsx scripts/bench/applications.ts` (DATABASE_URL, default the server on
 * 127.0.0.1:5432) also writes the results into BENCHMARKS.md between `<!-- bench-applications:start -->`
 * and `<!-- bench-applications:end -->`.
 */
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { startLocalBackend } from '../../supabase/local/server'
import type { BenchRow } from './rest'

const GROUPS = 500
const STREETS = 50
const WORKERS = 20_000
const BUTLERS = 250
const APPLICATIONS = 50_000
const EVENTS_PER = 8
const MATERIALS_PER = 4
const MONTHS = 12
const RUNS = 300
const TARGET_MS = 10
const TARGET_RATIO = 1.5

const uuid = (prefix: string, expr: string) => `md5('${prefix}' || (${expr})::text)::uuid`
const worker = (i: string) => uuid('worker', i)
const butler = (i: string) => uuid('butler', i)
const group = (i: string) => uuid('group', i)

/** The persona butler (index 1: a butler of four groups) and a worker with three applications. */
const BUTLER_SQL_ID = `md5('butler1')::uuid`
const WORKER_SQL_ID = `md5('worker7')::uuid`

/** The 我的申报 select as the client sends it (src/services/applications): RLS adds the policy. */
const MINE_SQL = `
  select a.id, a.programme_id, a.status, a.submitted_at, a.updated_at, a.requested_amount, a.approved_amount, a.supplement, a.version
    from public.applications a
   where a.applicant_id = $1
   order by a.created_at desc
   limit 50`

/** The butler branch inside private.application_review_queue with the caller written in (service role, EXPLAIN). */
const QUEUE_SQL = `
  select a.id, a.applicant_id, p.display_name, a.programme_id, s.name, a.group_id, a.street, a.status, a.submitted_at,
         a.updated_at, a.real_name_masked, a.resident_id_masked, a.bank_account_masked, a.phone, a.business_name,
         a.credit_code_needs_review, a.requested_amount, a.approved_amount, a.reviewer_id, a.batch_id, a.version
    from unnest(array(select m.group_id from public.group_members m where m.user_id = $1 and m.role = 'butler')) g(id)
    cross join lateral (
      select x.* from public.applications x
       where x.group_id = g.id and x.status <> 'draft'
       order by x.submitted_at desc, x.id
       limit 50) a
    join public.subsidy_programmes s on s.id = a.programme_id
    join public.profiles p on p.id = a.applicant_id
   order by a.submitted_at desc, a.id
   limit 50`

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function seed(c: pg.Client) {
  await c.query(`set session_replication_role = replica`) // bulk load: triggers and FK checks off; masks written here
  await c.query(`insert into public.profiles (id, display_name, role)
                 select ${worker('i')}, '职工' || i, 'worker' from generate_series(1, ${WORKERS}) i`)
  await c.query(`insert into public.profiles (id, display_name, role)
                 select ${butler('i')}, '管家' || i, 'butler' from generate_series(1, ${BUTLERS}) i`)
  await c.query(`insert into public.groups (id, name, district, invite_code)
                 select ${group('g')}, '压测创业群' || g, '压测街道' || (g % ${STREETS}), 'A' || lpad(g::text, 6, '0')
                   from generate_series(1, ${GROUPS}) g`)
  // worker i is in group 1 + i % GROUPS; group g has butlers 1 + (g + k * BUTLERS/2) % BUTLERS, k = 0, 1
  await c.query(`insert into public.group_members (group_id, user_id, role)
                 select ${group(`1 + (i % ${GROUPS})`)}, ${worker('i')}, 'member' from generate_series(1, ${WORKERS}) i`)
  await c.query(`insert into public.group_members (group_id, user_id, role)
                 select ${group('g')}, ${butler(`1 + ((g + k * ${BUTLERS / 2}) % ${BUTLERS})`)}, 'butler'
                   from generate_series(1, ${GROUPS}) g, generate_series(0, 1) k`)
  // one batch per street and month, the last MONTHS months
  await c.query(`insert into public.application_batches (id, street, month, cutoff_at, status, locked_at, filed_at)
                 select ${uuid('batch', `s || '-' || m`)}, '压测街道' || s, mm, private.batch_cutoff(mm),
                        case when m = 0 then 'open' else 'filed' end::public.batch_status,
                        case when m = 0 then null else private.batch_cutoff(mm) end,
                        case when m = 0 then null else private.batch_cutoff(mm) + interval '6 days' end
                   from generate_series(0, ${STREETS - 1}) s, generate_series(0, ${MONTHS - 1}) m
                   cross join lateral (select (date_trunc('month', now()) - make_interval(months => m))::date as mm) x`)
  // application n: worker 1 + n % WORKERS, programme n / WORKERS (so a worker has at most one per programme),
  // status by n % 20, submitted n minutes ago
  await c.query(`
    insert into public.applications (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
                                     real_name, resident_id, phone, bank_name, bank_account, business_name, credit_code,
                                     registered_on, employees, requested_amount, approved_amount, reviewer_id, batch_id,
                                     submitted_at, decided_at, created_at, updated_at, resident_id_masked, bank_account_masked, real_name_masked,
                                     supplement, reject_reason)
    select ${uuid('app', 'n')}, ${worker('w')}, pr.id, ${group('gi')}, '压测街道' || (gi % ${STREETS}), st.status::public.application_status,
           '2026-12', c.at, '刘建国', '370203197005123022', '13800001111', '青岛银行', '6228480012345678', '早餐店' || n, '91370203MA3D5K2N79',
           date '2026-01-01', 1, 5000,
           case when st.status in ('approved', 'filed', 'disbursed') then 5000 end,
           case when st.status not in ('draft', 'submitted') then ${butler(`1 + (gi % ${BUTLERS})`)} end,
           case when st.status in ('approved', 'filed', 'disbursed') then ${uuid('batch', `(gi % ${STREETS}) || '-' || (case when st.status = 'approved' then 0 else 1 + n % ${MONTHS - 1} end)`)} end,
           case when st.status <> 'draft' then c.at end, case when st.status not in ('draft', 'submitted', 'under_review', 'needs_supplement') then c.at + interval '1 day' end,
           c.at, c.at, '3702**********3022', '****5678', '刘*国',
           case when st.status = 'needs_supplement' then '[{"kind":"material","key":"id_card","name":"身份证正反面","note":""}]'::jsonb end,
           case when st.status = 'rejected' then '材料不全' end
      from generate_series(0, ${APPLICATIONS - 1}) n
      cross join lateral (select 1 + n % ${WORKERS} as w, n / ${WORKERS} as k) ww
      cross join lateral (select 1 + (ww.w % ${GROUPS}) as gi) gg
      cross join lateral (select s.id from public.subsidy_programmes s order by s.sort_order offset ww.k limit 1) pr
      cross join lateral (select case when n % 20 < 2 then 'draft' when n % 20 < 5 then 'submitted' when n % 20 < 7 then 'under_review'
                                      when n % 20 = 7 then 'needs_supplement' when n % 20 < 15 then 'approved' when n % 20 < 17 then 'rejected'
                                      when n % 20 < 19 then 'filed' else 'disbursed' end as status) st
      cross join lateral (select now() - make_interval(mins => n) as at) c`)
  await c.query(`
    insert into public.application_events (application_id, actor_id, from_status, to_status, note, created_at)
    select a.id, case when e % 2 = 0 then a.applicant_id else a.reviewer_id end, 'submitted', 'under_review', '', a.created_at + make_interval(mins => e)
      from public.applications a, generate_series(1, ${EVENTS_PER}) e`)
  await c.query(`
    insert into public.application_materials (application_id, material_key, object_path, mime, size, created_at)
    select a.id, (array['id_card', 'business_licence', 'unemployment_proof', 'bank_card'])[k], a.applicant_id || '/' || a.id || '/' || k || '.jpg',
           'image/jpeg', 200000, a.created_at
      from public.applications a, generate_series(1, ${MATERIALS_PER}) k`)
  await c.query(`set session_replication_role = origin`)
  await c.query(`analyze`)
}

interface Timing {
  p50: number
  p95: number
}

async function timePair(persona: () => Promise<unknown>, service: () => Promise<unknown>): Promise<[Timing, Timing]> {
  for (let i = 0; i < 30; i++) {
    await persona()
    await service()
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now()
    await persona()
    a.push(performance.now() - t0)
    t0 = performance.now()
    await service()
    b.push(performance.now() - t0)
  }
  a.sort((x, y) => x - y)
  b.sort((x, y) => x - y)
  return [{ p50: pct(a, 50), p95: pct(a, 95) }, { p50: pct(b, 50), p95: pct(b, 95) }]
}

async function asPersona(c: pg.Client, sub: string) {
  await c.query(`reset role`)
  const id = (await c.query<{ id: string }>(`select ${sub} as id`)).rows[0].id
  await c.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ sub: id, role: 'authenticated' })])
  await c.query(`set role authenticated`)
  return id
}

async function asService(c: pg.Client) {
  await c.query(`reset role`)
  await c.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ role: 'service_role' })])
  await c.query(`set role service_role`)
}

function planSummary(plan: string[]): { indexes: string[]; seqScans: string[]; ms: number } {
  const text = plan.join('\n')
  const indexes = [...new Set([...text.matchAll(/(?:Index(?: Only)? Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\w+)/g)].map((m) => m[1]))]
  const seqScans = [...new Set([...text.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]))]
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN)
  return { indexes, seqScans, ms }
}

export async function benchApplications(databaseUrl: string): Promise<{ rows: BenchRow[]; ok: boolean }> {
  const name = `cg_bench_applications_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  // The local backend migrates and seeds the new database exactly as for the app.
  const be = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: url.toString(), scheduler: false })
  await be.close()
  const c = new pg.Client({ connectionString: url.toString() })
  await c.connect()
  try {
    const t0 = performance.now()
    await seed(c)
    const loadSeconds = (performance.now() - t0) / 1000
    const counts = (await c.query(`select (select count(*) from public.applications) as a, (select count(*) from public.application_events) as e,
                                          (select count(*) from public.application_materials) as m`)).rows[0]

    const svc = new pg.Client({ connectionString: url.toString() })
    await svc.connect()
    try {
      await asService(svc)
    } catch (e) {
      await svc.end()
      throw e
    }

    // my applications
    const workerId = await asPersona(c, WORKER_SQL_ID)
    const mineRows = (await c.query(MINE_SQL, [workerId])).rowCount ?? 0
    const mineService = (await svc.query(MINE_SQL, [workerId])).rowCount ?? 0
    if (mineRows !== mineService || mineRows === 0) throw new Error(`mine: persona ${mineRows} rows, service ${mineService}`)
    const [minePersona, mineSvc] = await timePair(() => c.query(MINE_SQL, [workerId]), () => svc.query(MINE_SQL, [workerId]))
    const minePlan = planSummary((await c.query(`explain (analyze, costs off) ${MINE_SQL}`, [workerId])).rows.map((r) => String(r['QUERY PLAN'])))

    // review queue
    const butlerId = await asPersona(c, BUTLER_SQL_ID)
    const queueRows = (await c.query(`select * from public.application_review_queue()`)).rowCount ?? 0
    const queueService = (await svc.query(QUEUE_SQL, [butlerId])).rowCount ?? 0
    if (queueRows !== queueService || queueRows === 0) throw new Error(`queue: persona ${queueRows} rows, service ${queueService}`)
    const [queuePersona, queueSvc] = await timePair(
      () => c.query(`select * from public.application_review_queue()`),
      () => svc.query(QUEUE_SQL, [butlerId]),
    )
    await svc.end()
    await c.query(`reset role`)
    const queuePlan = planSummary((await c.query(`explain (analyze, costs off) ${QUEUE_SQL}`, [butlerId])).rows.map((r) => String(r['QUERY PLAN'])))

    const verdict = (persona: Timing, service: Timing) => {
      const ratio = persona.p95 / service.p95
      const ok = persona.p95 <= TARGET_MS && ratio <= TARGET_RATIO
      const says = `p95 ≤ ${TARGET_MS} ms ${persona.p95 <= TARGET_MS ? 'met' : 'NOT met'}, ≤ ${TARGET_RATIO}× ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`
      return { ratio, ok, says }
    }
    const m = verdict(minePersona, mineSvc)
    const q = verdict(queuePersona, queueSvc)
    const fmt = (t: Timing) => `p50 ${t.p50.toFixed(2)} ms · p95 ${t.p95.toFixed(2)} ms`
    const rows: BenchRow[] = [
      {
        name: `my applications (我的申报: applications select as a worker, RLS on), ${Number(counts.a).toLocaleString('en')} applications`,
        value: fmt(minePersona),
        note: `${mineRows} rows; service role, same query: ${fmt(mineSvc)}; ratio ${m.ratio.toFixed(2)}× (${m.says})`,
      },
      {
        name: `review queue (application_review_queue() as a butler of 4 groups), 50 newest of ~${Math.round((APPLICATIONS / GROUPS) * 4)} in their groups`,
        value: fmt(queuePersona),
        note: `${queueRows} rows; service role, same query: ${fmt(queueSvc)}; ratio ${q.ratio.toFixed(2)}× (${q.says})`,
      },
      {
        name: 'EXPLAIN ANALYZE, my applications as the worker',
        value: `${minePlan.ms.toFixed(2)} ms`,
        note: `indexes ${minePlan.indexes.join(', ') || 'none'}; sequential scans: ${minePlan.seqScans.join(', ') || 'none'}`,
      },
      {
        name: 'EXPLAIN ANALYZE, the butler query inside application_review_queue()',
        value: `${queuePlan.ms.toFixed(2)} ms`,
        note: `indexes ${queuePlan.indexes.join(', ') || 'none'}; sequential scans: ${queuePlan.seqScans.join(', ') || 'none'}`,
      },
      {
        name: 'bulk load of the applications data set',
        value: `${loadSeconds.toFixed(1)} s`,
        note: `${Number(counts.a).toLocaleString('en')} applications, ${Number(counts.e).toLocaleString('en')} events, ${Number(counts.m).toLocaleString('en')} materials, ${WORKERS.toLocaleString('en')} workers`,
      },
    ]
    return { rows, ok: m.ok && q.ok }
  } finally {
    await c.end()
    if (process.env.BENCH_KEEP === '1') console.log(`kept database ${name}`)
    else await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

export async function writeApplicationsSection(rows: BenchRow[], serverUrl: string) {
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx scripts/bench/applications.ts\` (also part of \`npm run bench\`) on PostgreSQL (${serverUrl.replace(/\/\/[^@]*@/, '//')}), ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; times are one client's, in the database (pg, no HTTP).`,
    '',
    '| measurement | result | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.note ?? ''} |`),
  ].join('\n')
  const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md')
  let text = await readFile(file, 'utf8')
  const block = `<!-- bench-applications:start -->\n${table}\n<!-- bench-applications:end -->`
  const re = /<!-- bench-applications:start -->[\s\S]*<!-- bench-applications:end -->/
  text = re.test(text) ? text.replace(re, block) : text.replace(/\n## Size\n/, `\n## Subsidy applications\n\n${block}\n\n## Size\n`)
  await writeFile(file, text)
  console.log(table)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  benchApplications(url).then(
    async ({ rows, ok }) => {
      await writeApplicationsSection(rows, url)
      if (!ok) process.exitCode = 1
    },
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
