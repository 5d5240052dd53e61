/**
 * Benchmarks of the monthly batch (集中申报) at the issue's scale, on real PostgreSQL: 50,000 applications
 * (400,000 history rows, 200,000 materials) in 200 groups of 20 streets, of which one street's locked
 * batch holds 5,000 approved applications.
 *
 * Measured, each 300 times after a warm-up, as p50/p95 of the query's time seen by a client on the same
 * machine (pg, no HTTP), as a butler of that street (role authenticated, RLS on) against the same query
 * as the service role (RLS bypassed) with the street written in:
 *   - the batch page: `batch_applications(batch)`, the first page (100 rows, the default), and a page deep in it;
 *   - the batches list: `application_batches_for_me()`;
 *   - the completeness check of the 5,000-application batch (fewer runs: it reads the whole batch);
 * and the export: GET /functions/v1/application-export?batch=… through the local backend (edge function
 * on Deno, exceljs), the whole .xlsx of 5,000 rows downloaded and opened (tests/support/xlsx.ts), the
 * first call (Deno starting) and then 10 more.
 *
 * `benchBatches(url)` creates a database of its own on the server `url` points at and drops it after.
 * Standalone: `npx tsx scripts/bench/batches.ts` (DATABASE_URL, default the server on 127.0.0.1:5432)
 * also writes the results into BENCHMARKS.md between `<!-- bench-batches:start -->` and
 * `<!-- bench-batches:end -->`.
 */
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { startLocalBackend } from '../../supabase/local/server'
import { readXlsx } from '../../tests/support/xlsx'
import type { BenchRow } from './rest'

const APPLICATIONS = 50_000
const BATCH_SIZE = 5_000
const GROUPS = 200
const STREETS = 20
const BUTLERS = 100
const RUNS = Number(process.env.BENCH_RUNS ?? 300)
const COMPLETENESS_RUNS = 50
const EXPORT_RUNS = 10
const TARGET_MS = 10
const TARGET_RATIO = 1.5
const EXPORT_TARGET_MS = 2_000
const PROGRAMME = '60000000-0000-4000-8000-000000000001' // 一次性创业补贴 (seed): four required materials

const uuid = (prefix: string, expr: string) => `md5('${prefix}' || (${expr})::text)::uuid`
const worker = (i: string) => uuid('bworker', i)
const butler = (i: string) => uuid('bbutler', i)
const group = (i: string) => uuid('bgroup', i)
const street = (g: string) => `'压测街道' || ((${g}) % ${STREETS})`
const batchId = (s: string, m: string) => uuid('bbatch', `${s} || '-' || ${m}`)

/** The persona: butler 0, a butler of group 0 (and of groups 50, 100, 150), all in street 压测街道0. */
const BUTLER_SQL_ID = butler('0')
const BIG_BATCH_SQL_ID = batchId('0', "'2026-11'")

/** The query inside private.batch_applications, the caller's rights checked before it (service-role comparison). */
const PAGE_SQL = `
  select a.id, a.applicant_id, ap.display_name, a.real_name, a.real_name_masked, a.resident_id_masked,
         a.bank_account_masked, a.phone, a.business_name, a.credit_code, a.credit_code_needs_review,
         a.programme_id, s.name, a.group_id, a.status, a.requested_amount, a.approved_amount, a.reviewer_id,
         rv.display_name, a.decided_at, a.disbursed_at, a.disburse_note
    from public.applications a
    join public.subsidy_programmes s on s.id = a.programme_id
    left join public.profiles ap on ap.id = a.applicant_id
    left join public.profiles rv on rv.id = a.reviewer_id
   where a.batch_id = $1
     and ($2::uuid is null or (a.decided_at, a.id) > ((select x.decided_at from public.applications x where x.id = $2), $2))
   order by a.decided_at, a.id
   limit 100`

/** The query inside private.application_batches_for_me, for one street. */
const LIST_SQL = `
  select b.id, b.street, b.month, b.cutoff_at, b.status, b.locked_at, b.publicity_until, b.filed_at, b.filed_by,
         (select p.display_name from public.profiles p where p.id = b.filed_by), b.closed_at,
         c.n, c.total, c.settled,
         (select count(*)::integer from public.batch_objections o where o.batch_id = b.id and o.answered_at is null)
    from public.application_batches b
    cross join lateral (
      select count(*)::integer as n, coalesce(sum(a.approved_amount), 0)::numeric as total,
             (count(*) filter (where a.status in ('disbursed', 'not_disbursed')))::integer as settled
        from public.applications a where a.batch_id = b.id
    ) c
   where b.street = any ($1::text[])
   order by b.month desc, b.street
   limit 200`

interface Timing {
  p50: number
  p95: number
}

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function seed(c: pg.Client) {
  await c.query(`set session_replication_role = replica`) // bulk load: triggers and FK checks off; masked columns written here
  await c.query(`insert into public.profiles (id, display_name, role)
                 select ${worker('i')}, '职工' || i, 'worker' from generate_series(1, ${APPLICATIONS}) i`)
  await c.query(`insert into public.profiles (id, display_name, role)
                 select ${butler('i')}, '管家' || i, 'butler' from generate_series(0, ${BUTLERS - 1}) i`)
  await c.query(`insert into public.groups (id, name, district, invite_code)
                 select ${group('g')}, '压测创业群' || g, ${street('g')}, 'P' || lpad(g::text, 6, '0') from generate_series(0, ${GROUPS - 1}) g`)
  // group g: butlers g % 100 and (g + 50) % 100 — butler 0 looks after groups 0, 50, 100, 150 (streets 0 and 10)
  await c.query(`insert into public.group_members (group_id, user_id, role)
                 select ${group('g')}, ${butler(`(g + k * ${BUTLERS / 2}) % ${BUTLERS}`)}, 'butler'
                   from generate_series(0, ${GROUPS - 1}) g, generate_series(0, 1) k`)
  // Batches: every street has October (closed), November (locked, 公示 over) and December (open).
  await c.query(`insert into public.application_batches (id, street, month, cutoff_at, status, locked_at, publicity_until, filed_at, closed_at)
                 select ${batchId('s', 'm.k')}, '压测街道' || s, (m.k || '-01')::date, (m.k || '-25 17:30+08')::timestamptz, m.st::public.batch_status,
                        case when m.st <> 'open' then (m.k || '-25 17:31+08')::timestamptz end,
                        case when m.st <> 'open' then (m.k || '-30 17:31+08')::timestamptz end,
                        case when m.st = 'closed' then (m.k || '-30 18:00+08')::timestamptz end,
                        case when m.st = 'closed' then (m.k || '-30 18:00+08')::timestamptz end
                   from generate_series(0, ${STREETS - 1}) s,
                        (values ('2026-10', 'closed'), ('2026-11', 'locked'), ('2026-12', 'open')) m(k, st)`)
  // Applications 1..5,000: street 0's November batch, approved. The rest: any group; by i % 10 a draft,
  // submitted, under review, needs supplement, rejected, approved in December, or disbursed in October.
  await c.query(`
    insert into public.applications (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
      real_name, resident_id, phone, bank_name, bank_account, business_name, credit_code, credit_code_needs_review, registered_on,
      employees, requested_amount, approved_amount, reviewer_id, batch_id, submitted_at, decided_at, disbursed_at, supplement,
      reject_reason, resident_id_masked, bank_account_masked, real_name_masked, created_at)
    select ${uuid('bapp', 'i')}, ${worker('i')}, '${PROGRAMME}', ${group('x.g')}, ${street('x.g')}, x.st::public.application_status,
           'v1', now() - interval '40 days',
           x.nm, '3702031968' || lpad((i % 100000000)::text, 8, '0'), '139' || lpad(i::text, 8, '0'), '青岛银行', '62319000' || lpad(i::text, 11, '0'),
           '压测家政服务部' || i, '92370203MA3C' || lpad(i::text, 6, '0'), i % 97 = 0, date '2025-06-01', 2, 10000,
           case when x.st in ('approved', 'disbursed') then 10000 end,
           case when x.st not in ('draft', 'submitted') then ${butler(`x.g % ${BUTLERS}`)} end,
           case when i <= ${BATCH_SIZE} then ${batchId('0', "'2026-11'")}
                when x.st = 'approved' then ${batchId(`x.g % ${STREETS}`, "'2026-12'")}
                when x.st = 'disbursed' then ${batchId(`x.g % ${STREETS}`, "'2026-10'")} end,
           case when x.st <> 'draft' then now() - make_interval(mins => i) end,
           case when x.st in ('approved', 'disbursed', 'rejected') then now() - make_interval(mins => i) + interval '1 hour' end,
           case when x.st = 'disbursed' then now() - interval '20 days' end,
           case when x.st = 'needs_supplement' then '[{"kind":"material","key":"id_card","note":"不清楚"}]'::jsonb end,
           case when x.st = 'rejected' then '不符合条件' end,
           '3702**********' || lpad((i % 10000)::text, 4, '0'), '****' || lpad((i % 10000)::text, 4, '0'), left(x.nm, 1) || '*' || right(x.nm, 1),
           now() - interval '40 days'
      from generate_series(1, ${APPLICATIONS}) i
      cross join lateral (
        select case when i <= ${BATCH_SIZE} then 20 * (i % 10) else i % ${GROUPS} end as g,
               case when i <= ${BATCH_SIZE} then 'approved'
                    else (array['draft','submitted','under_review','needs_supplement','rejected','approved','approved','disbursed','disbursed','submitted'])[1 + i % 10] end as st,
               (array['张','王','李','赵','刘','陈'])[1 + i % 6] || (array['建','秀','国','德','明','华'])[1 + (i / 6) % 6] || (array['国','英','德','华','平','军'])[1 + (i / 36) % 6] as nm
      ) x`)
  await c.query(`insert into public.application_materials (application_id, material_key, object_path, mime, size)
                 select ${uuid('bapp', 'i')}, k, ${worker('i')}::text || '/' || ${uuid('bapp', 'i')}::text || '/' || k || '.jpg', 'image/jpeg', 200000
                   from generate_series(1, ${APPLICATIONS}) i,
                        unnest(array['id_card', 'business_licence', 'unemployment_proof', 'bank_card']) k`)
  await c.query(`insert into public.application_events (application_id, actor_id, from_status, to_status, note, created_at)
                 select ${uuid('bapp', 'i')}, null, 'submitted', 'under_review', '压测', now() - make_interval(mins => i * 8 + e)
                   from generate_series(1, ${APPLICATIONS}) i, generate_series(1, 8) e`)
  await c.query(`reset session_replication_role`)
  await c.query(`analyze`)
}

async function asPersona(c: pg.Client, id: string) {
  await c.query(`reset role`)
  await c.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ sub: id, role: 'authenticated' })])
  await c.query(`set role authenticated`)
}

async function asService(c: pg.Client) {
  await c.query(`reset role`)
  await c.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ role: 'service_role' })])
  await c.query(`set role service_role`)
}

async function timePair(runs: number, persona: (i: number) => Promise<unknown>, service: (i: number) => Promise<unknown>): Promise<[Timing, Timing]> {
  for (let i = 0; i < Math.min(20, runs); i++) {
    await persona(i)
    await service(i)
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now()
    await persona(i)
    a.push(performance.now() - t0)
    t0 = performance.now()
    await service(i)
    b.push(performance.now() - t0)
  }
  a.sort((x, y) => x - y)
  b.sort((x, y) => x - y)
  return [{ p50: pct(a, 50), p95: pct(a, 95) }, { p50: pct(b, 50), p95: pct(b, 95) }]
}

export async function benchBatches(databaseUrl: string): Promise<{ rows: BenchRow[]; ok: boolean }> {
  const name = `cg_bench_batches_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  // The local backend migrates and seeds the new database exactly as for the app, and serves the export.
  const be = await startLocalBackend({ port: 0, dataDir: null, databaseUrl: url.toString(), scheduler: false })
  const c = new pg.Client({ connectionString: url.toString() })
  await c.connect()
  const svc = new pg.Client({ connectionString: url.toString() })
  try {
    const t0 = performance.now()
    await seed(c)
    const loadSeconds = (performance.now() - t0) / 1000
    const ids = (await c.query(`select ${BUTLER_SQL_ID} as butler, ${BIG_BATCH_SQL_ID} as batch,
                                       (select array_agg(distinct g.district) from public.groups g join public.group_members m on m.group_id = g.id
                                         where m.user_id = ${BUTLER_SQL_ID} and m.role = 'butler') as streets`)).rows[0] as { butler: string; batch: string; streets: string[] }
    const counts = (await c.query(`select (select count(*) from public.applications) as a, (select count(*) from public.application_events) as e,
                                          (select count(*) from public.application_materials) as m,
                                          (select count(*) from public.applications where batch_id = $1) as b`, [ids.batch])).rows[0]
    const deepAfter = String((await c.query(`select id from public.applications where batch_id = $1 order by decided_at, id offset 3999 limit 1`, [ids.batch])).rows[0].id)
    await svc.connect()
    await asService(svc)
    await asPersona(c, ids.butler)

    // the batch page, first page and a deep page
    const first = await c.query(`select * from public.batch_applications($1)`, [ids.batch])
    const svcFirst = await svc.query(PAGE_SQL, [ids.batch, null])
    if (first.rowCount !== 100 || svcFirst.rowCount !== 100) throw new Error(`batch page: persona ${first.rowCount}, service ${svcFirst.rowCount}`)
    const [pagePersona, pageService] = await timePair(
      RUNS,
      () => c.query(`select * from public.batch_applications($1)`, [ids.batch]),
      () => svc.query(PAGE_SQL, [ids.batch, null]),
    )
    const [deepPersona, deepService] = await timePair(
      RUNS,
      () => c.query(`select * from public.batch_applications($1, null, 100, $2)`, [ids.batch, deepAfter]),
      () => svc.query(PAGE_SQL, [ids.batch, deepAfter]),
    )
    // the list of batches
    const list = await c.query(`select * from public.application_batches_for_me()`)
    const svcList = await svc.query(LIST_SQL, [ids.streets])
    if (list.rowCount !== svcList.rowCount || !list.rowCount) throw new Error(`batch list: persona ${list.rowCount}, service ${svcList.rowCount}`)
    const [listPersona, listService] = await timePair(
      RUNS,
      () => c.query(`select * from public.application_batches_for_me()`),
      () => svc.query(LIST_SQL, [ids.streets]),
    )
    // completeness of the whole batch; the service role's side is the same function without the caller check
    await svc.query(`reset role`) // private.batch_problems is not granted to API roles: run it as its owner
    const problems = (await c.query(`select * from public.batch_completeness($1)`, [ids.batch])).rowCount ?? 0
    const [completePersona, completeService] = await timePair(
      COMPLETENESS_RUNS,
      () => c.query(`select * from public.batch_completeness($1)`, [ids.batch]),
      () => svc.query(`select * from private.batch_problems($1)`, [ids.batch]),
    )

    // the plans, as the functions' owner runs them
    await c.query(`reset role`)
    const explain = async (sql: string, params: unknown[]) => {
      const plan = (await c.query(`explain (analyze, costs off) ${sql}`, params)).rows.map((r) => String(r['QUERY PLAN'])).join('\n')
      const indexes = [...new Set([...plan.matchAll(/(?:Index(?: Only)? Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\w+)/g)].map((m) => m[1]))]
      const seqScans = [...new Set([...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]))]
      return { ms: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN), indexes, seqScans }
    }
    const pagePlan = await explain(PAGE_SQL, [ids.batch, null])
    const listPlan = await explain(LIST_SQL, [ids.streets])
    const problemsPlan = await explain(`select * from private.batch_problems($1)`, [ids.batch])

    // the export through the edge function, as the app downloads it
    const token = await be.signToken({ sub: ids.butler })
    const download = async () => {
      const t = performance.now()
      const res = await fetch(`${be.url}/functions/v1/application-export?batch=${ids.batch}`, {
        headers: { Authorization: `Bearer ${token}`, apikey: be.anonKey },
      })
      const bytes = Buffer.from(await res.arrayBuffer())
      const ms = performance.now() - t
      if (res.status !== 200) throw new Error(`export answered ${res.status}: ${bytes.toString('utf8').slice(0, 300)}`)
      return { ms, bytes }
    }
    const cold = await download()
    const sheet = readXlsx(cold.bytes)
    if (sheet.rows.length !== BATCH_SIZE + 1 || sheet.sheetNames[0] !== '申报名册') throw new Error(`export: ${sheet.rows.length} rows in ${sheet.sheetNames}`)
    const warm: number[] = []
    for (let i = 0; i < EXPORT_RUNS; i++) warm.push((await download()).ms)
    warm.sort((x, y) => x - y)
    const exportP95 = pct(warm, 95)

    const verdict = (persona: Timing, service: Timing) => {
      const ratio = persona.p95 / service.p95
      const ok = persona.p95 <= TARGET_MS && ratio <= TARGET_RATIO
      const says = `p95 ≤ ${TARGET_MS} ms ${persona.p95 <= TARGET_MS ? 'met' : 'NOT met'}, ≤ ${TARGET_RATIO}× ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`
      return { ratio, ok, says }
    }
    const fmt = (t: Timing) => `p50 ${t.p50.toFixed(2)} ms · p95 ${t.p95.toFixed(2)} ms`
    const v1 = verdict(pagePersona, pageService)
    const v2 = verdict(deepPersona, deepService)
    const v3 = verdict(listPersona, listService)
    const ratio4 = completePersona.p95 / completeService.p95
    const scale = `${Number(counts.a).toLocaleString('en')} applications, ${Number(counts.e).toLocaleString('en')} events, ${Number(counts.m).toLocaleString('en')} materials`
    const rows: BenchRow[] = [
      {
        name: `batch page (batch_applications as a butler of the street, RLS on), first 100 of a ${Number(counts.b).toLocaleString('en')}-application batch; ${scale}`,
        value: fmt(pagePersona),
        note: `service role, same query: ${fmt(pageService)}; ratio ${v1.ratio.toFixed(2)}× (${v1.says})`,
      },
      {
        name: 'batch page, the 41st page (after_id of row 4,000)',
        value: fmt(deepPersona),
        note: `service role, same query: ${fmt(deepService)}; ratio ${v2.ratio.toFixed(2)}× (${v2.says})`,
      },
      {
        name: `batches list (application_batches_for_me: ${list.rowCount} batches of the butler's 2 streets with counts, approved total, settled, open objections)`,
        value: fmt(listPersona),
        note: `service role, same query: ${fmt(listService)}; ratio ${v3.ratio.toFixed(2)}× (${v3.says})`,
      },
      {
        name: `completeness check of the ${Number(counts.b).toLocaleString('en')}-application batch (batch_completeness)`,
        value: fmt(completePersona),
        note: `${problems} problems (credit codes flagged by the check digit); the owner running private.batch_problems: ${fmt(completeService)}; ratio ${ratio4.toFixed(2)}×; ${COMPLETENESS_RUNS} runs`,
      },
      {
        name: `export of the ${Number(counts.b).toLocaleString('en')}-application batch to .xlsx (GET application-export as the butler, edge function on Deno, exceljs; whole download)`,
        value: `first ${cold.ms.toFixed(0)} ms (Deno starting) · then p50 ${pct(warm, 50).toFixed(0)} ms · p95 ${exportP95.toFixed(0)} ms`,
        note: `${(cold.bytes.byteLength / 1024).toFixed(0)} KB, opened and ${BATCH_SIZE.toLocaleString('en')} rows checked; ≤ ${EXPORT_TARGET_MS} ms ${exportP95 <= EXPORT_TARGET_MS && cold.ms <= EXPORT_TARGET_MS ? 'met' : exportP95 <= EXPORT_TARGET_MS ? 'met once started' : 'NOT met'}; ${EXPORT_RUNS} runs`,
      },
      {
        name: 'EXPLAIN ANALYZE, the query inside batch_applications (first page)',
        value: `${pagePlan.ms.toFixed(2)} ms`,
        note: `indexes ${pagePlan.indexes.join(', ') || 'none'}; sequential scans: ${pagePlan.seqScans.join(', ') || 'none'}`,
      },
      {
        name: 'EXPLAIN ANALYZE, the query inside application_batches_for_me',
        value: `${listPlan.ms.toFixed(2)} ms`,
        note: `indexes ${listPlan.indexes.join(', ') || 'none'}; sequential scans: ${listPlan.seqScans.join(', ') || 'none'}`,
      },
      {
        name: 'EXPLAIN ANALYZE, private.batch_problems of the 5,000-application batch',
        value: `${problemsPlan.ms.toFixed(2)} ms`,
        note: 'one index range of application_materials per application',
      },
      {
        name: 'bulk load of the batch data set',
        value: `${loadSeconds.toFixed(1)} s`,
        note: `${GROUPS} groups in ${STREETS} streets, ${STREETS * 3} batches`,
      },
    ]
    return { rows, ok: v1.ok && v2.ok && v3.ok && exportP95 <= EXPORT_TARGET_MS }
  } finally {
    await c.end()
    await svc.end().catch(() => undefined)
    await be.close()
    if (process.env.BENCH_KEEP === '1') console.log(`kept database ${name}`)
    else await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

export async function writeBatchesSection(rows: BenchRow[], serverUrl: string) {
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx scripts/bench/batches.ts\` (also part of \`npm run bench\`) on PostgreSQL (${serverUrl.replace(/\/\/[^@]*@/, '//')}), ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; query times are one client's, in the database (pg, no HTTP); the export is timed through the local backend's HTTP.`,
    '',
    '| measurement | result | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.note ?? ''} |`),
  ].join('\n')
  const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md')
  let text = await readFile(file, 'utf8')
  const block = `<!-- bench-batches:start -->\n${table}\n<!-- bench-batches:end -->`
  const re = /<!-- bench-batches:start -->[\s\S]*<!-- bench-batches:end -->/
  text = re.test(text) ? text.replace(re, block) : text.replace(/\n## Size\n/, `\n## Monthly batch (集中申报)\n\n${block}\n\n## Size\n`)
  await writeFile(file, text)
  console.log(table)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  benchBatches(url).then(
    async ({ rows, ok }) => {
      await writeBatchesSection(rows, url)
      if (!ok) process.exitCode = 1
    },
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
