/**
 * Benchmarks of the question desk at the issue's scale, on real PostgreSQL, in the database:
 * 2,000 groups, 100,000 workers (50 per group), 1,000 butlers (two per group, four groups each),
 * 200,000 questions (100 per group: 10 % open, 15 % answered, 70 % accepted, 5 % closed) with 170,000
 * answers, and 20,000 FAQ entries.
 *
 * Measured, each 300 times after a warm-up, as p50/p95 of the query's time seen by a client on the same
 * machine:
 *   - the butler queue: `public.butler_queue()` as a butler (role authenticated, RLS on) against the
 *     same query as the service role (RLS bypassed) with the butler's id written in;
 *   - FAQ suggestions while typing: `public.suggest_faq(group, text)` as a member against the same
 *     function as the service role, over a rotation of typed texts (补贴, a whole sentence, …).
 * Then `EXPLAIN (ANALYZE)` of each query as the persona, reporting the indexes the plan uses.
 *
 * `benchQuestions(url)` creates a database of its own on the server `url` points at and drops it after
 * (never touches the database named in the URL). Standalone: `npx tsx scripts/bench/questions.ts`
 * (DATABASE_URL, default the server on 127.0.0.1:5432) also writes the results into BENCHMARKS.md
 * between `<!-- bench-questions:start -->` and `<!-- bench-questions:end -->`.
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

const GROUPS = 2_000
const WORKERS = 100_000
const BUTLERS = 1_000
const QUESTIONS = 200_000
const FAQS_PER_GROUP = 10
const RUNS = 300
const TARGET_MS = 10
const TARGET_RATIO = 1.5

const uuid = (prefix: string, expr: string) => `md5('${prefix}' || (${expr})::text)::uuid`
const worker = (i: string) => uuid('worker', i)
const butler = (i: string) => uuid('butler', i)
const group = (i: string) => uuid('group', i)

/** The persona butler (index 1: a butler of groups 500, 1000, 1500 and 2000) and a member of group 1. */
const BUTLER_SQL_ID = `md5('butler1')::uuid`
const WORKER_SQL_ID = `md5('worker2000')::uuid`
const GROUP_SQL_ID = `md5('group1')::uuid`

const PHRASES = [
  '一次性创业补贴怎么申请', '创业担保贷款额度是多少', '营业执照去哪里办理', '社保补贴怎么领取', '场地租金补贴的条件',
  '小微企业税收优惠政策', '电工培训什么时候报名', '孵化基地怎么入驻', '家政服务社需要什么资质', '早餐店卫生许可证',
  '贷款贴息要交什么材料', '失业登记在哪里办', '灵活就业社保怎么交', '个体户开票怎么办', '创业培训补贴标准',
  '咖啡师培训有补贴吗', '吸纳就业补贴怎么算', '银行账户变更怎么办', '申报材料被退回怎么办', '补贴什么时候到账',
]
const TYPED = ['补贴', '创业担保贷款怎么申请', '营业执照', '请问租金补贴需要什么条件', '培训报名', '社保']

/**
 * The query inside private.butler_queue() with the caller written in: what the service role runs for
 * the comparison, and what EXPLAIN shows (as the function's owner, as the function runs it).
 */
const QUEUE_SQL = `
  select q.id, q.group_id, (select g.name from public.groups g where g.id = q.group_id), q.title, q.asker_id, a.display_name, q.owner_id, o.display_name,
         q.due_at, q.due_at <= now(), coalesce(q.owner_id = $1, false), q.reopened_count, q.created_at
    from public.group_questions q
    left join public.profiles a on a.id = q.asker_id
    left join public.profiles o on o.id = q.owner_id
   where q.status = 'open'
     and q.group_id = any (array(select private.butler_groups_of($1)))
     and (q.owner_id = $1 or q.owner_id is null or q.due_at <= now())
   order by q.due_at, q.created_at, q.id
   limit 200`

/** The query inside private.suggest_faq ($1 group, $2 the typed text's pieces, $3 pieces needed): the service role's comparison and EXPLAIN. */
const SUGGEST_SQL = `
  with hits as (
    select 'faq'::text as kind, f.id, f.question, f.answer,
           (select count(*)::integer from unnest($2::text[]) t where t = any (f.search_terms)) as matched, f.updated_at as at
      from public.group_faqs f
     where f.group_id = $1 and f.search_terms && $2::text[]
    union all
    select 'question', gq.id, gq.title, coalesce(r.body, ''),
           (select count(*)::integer from unnest($2::text[]) t where t = any (gq.search_terms)), gq.answered_at
      from public.group_questions gq
      left join public.group_question_replies r on r.id = gq.answer_reply_id
     where gq.group_id = $1 and gq.status in ('answered', 'accepted') and gq.search_terms && $2::text[]
       and not exists (select 1 from public.group_faqs f where f.source_question_id = gq.id)
  )
  select h.kind, h.id, h.question, h.answer, h.matched from hits h
   where h.matched >= $3 order by h.matched desc, (h.kind = 'faq') desc, h.at desc nulls last limit 5`

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function seed(c: pg.Client) {
  const phrases = `array[${PHRASES.map((p) => `'${p}'`).join(',')}]`
  await c.query(`set session_replication_role = replica`) // bulk load: triggers and FK checks off; terms written here
  await c.query(`insert into public.profiles (id, display_name, role)
                 select ${worker('i')}, '职工' || i, 'worker' from generate_series(1, ${WORKERS}) i`)
  await c.query(`insert into public.profiles (id, display_name, role)
                 select ${butler('i')}, '管家' || i, 'butler' from generate_series(1, ${BUTLERS}) i`)
  await c.query(`insert into public.groups (id, name, district, invite_code)
                 select ${group('g')}, '压测创业群' || g, '压测街道' || (g % 50), 'B' || lpad(g::text, 6, '0')
                   from generate_series(1, ${GROUPS}) g`)
  // worker i is in group i % GROUPS (+1); group g has butlers g % BUTLERS and (g + BUTLERS/2) % BUTLERS
  await c.query(`insert into public.group_members (group_id, user_id, role)
                 select ${group(`1 + (i % ${GROUPS})`)}, ${worker('i')}, 'member' from generate_series(1, ${WORKERS}) i`)
  await c.query(`insert into public.group_members (group_id, user_id, role)
                 select ${group('g')}, ${butler(`1 + ((g + k * ${BUTLERS / 2}) % ${BUTLERS})`)}, 'butler'
                   from generate_series(1, ${GROUPS}) g, generate_series(0, 1) k`)
  // question q is the k-th (k = q / GROUPS) of group 1 + q % GROUPS, asked by a member of it, owned by its
  // first butler (a quarter of the open ones by nobody); status by k % 20: 0–1 open, 2–4 answered,
  // 5 closed, else accepted.
  await c.query(`
    insert into public.group_questions (id, group_id, asker_id, title, body, status, owner_id, due_at, overdue, answer_reply_id,
                                        first_answered_at, answered_at, accepted_at, closed_at, created_at, search_terms)
    select ${uuid('q', 'q')}, ${group('gi')}, ${worker(`gi - 1 + ${GROUPS} * (1 + k % 40)`)}, t.title, '具体情况：' || t.title,
           s.status::public.question_status,
           case when s.status = 'open' and k % 4 = 0 then null else ${butler(`1 + (gi % ${BUTLERS})`)} end,
           c.at + interval '2 hours', s.status = 'open' and c.at + interval '2 hours' < now(),
           case when s.status in ('answered', 'accepted') then ${uuid('r', 'q')} end,
           case when s.status <> 'open' then c.at + make_interval(mins => q % 180) end,
           case when s.status in ('answered', 'accepted') then c.at + make_interval(mins => q % 180) end,
           case when s.status = 'accepted' then c.at + interval '1 day' end,
           case when s.status = 'closed' then c.at + interval '1 day' end,
           c.at, private.bigrams(t.title || ' ' || '具体情况：' || t.title)
      from generate_series(1, ${QUESTIONS}) q
      cross join lateral (select 1 + q % ${GROUPS} as gi, q / ${GROUPS} as k) gg
      cross join lateral (select (${phrases})[1 + (k * 7 + q) % ${PHRASES.length}] || '？（' || q || '）' as title) t
      cross join lateral (select case when k % 20 < 2 then 'open' when k % 20 < 5 then 'answered'
                                      when k % 20 = 5 then 'closed' else 'accepted' end as status) s
      cross join lateral (select now() - make_interval(mins => q) as at) c`)
  await c.query(`
    insert into public.group_question_replies (id, question_id, group_id, author_id, body, created_at)
    select q.answer_reply_id, q.id, q.group_id, q.owner_id, '按政策规定办理，材料齐全后在申报页提交即可。', q.first_answered_at
      from public.group_questions q where q.answer_reply_id is not null
       and not exists (select 1 from public.group_question_replies r where r.id = q.answer_reply_id)`)
  await c.query(`
    insert into public.group_faqs (group_id, question, answer, search_terms, created_at, updated_at)
    select ${group('g')}, p.question, '请参照群公告和政策原文办理。', private.bigrams(p.question), now() - make_interval(days => k), now() - make_interval(days => k)
      from generate_series(1, ${GROUPS}) g, generate_series(1, ${FAQS_PER_GROUP}) k
      cross join lateral (select (${phrases})[1 + (g + k * 3) % ${PHRASES.length}] || '？' as question) p`)
  await c.query(`set session_replication_role = origin`)
  await c.query(`analyze`)
}

interface Timing {
  p50: number
  p95: number
}

/**
 * Runs `persona` and `service` in turn, RUNS times each after a warm-up, so that other work on the
 * machine weighs on both alike; returns the two timings.
 */
async function timePair(persona: (i: number) => Promise<unknown>, service: (i: number) => Promise<unknown>): Promise<[Timing, Timing]> {
  for (let i = 0; i < 30; i++) {
    await persona(i)
    await service(i)
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < RUNS; i++) {
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

/** The indexes an EXPLAIN ANALYZE plan reads, and whether it scans group_questions or group_faqs whole. */
function planSummary(plan: string[]): { indexes: string[]; seqScans: string[]; ms: number } {
  const text = plan.join('\n')
  const indexes = [...new Set([...text.matchAll(/(?:Index(?: Only)? Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\w+)/g)].map((m) => m[1]))]
  const seqScans = [...new Set([...text.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]))]
  const ms = Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN)
  return { indexes, seqScans, ms }
}

export async function benchQuestions(databaseUrl: string): Promise<{ rows: BenchRow[]; ok: boolean }> {
  const name = `cg_bench_questions_${randomBytes(4).toString('hex')}`
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
    const counts = (await c.query(`select (select count(*) from public.group_questions) as q, (select count(*) from public.group_faqs) as f,
                                          (select count(*) from public.group_members) as m`)).rows[0]

    const need = (t: string[]) => Math.min(t.length, Math.max(2, Math.ceil(t.length * 0.3)))
    // Two connections: one as the persona (role authenticated, RLS on), one as the service role.
    const svc = new pg.Client({ connectionString: url.toString() })
    await svc.connect()
    try {
      await asService(svc)
    } catch (e) {
      await svc.end()
      throw e
    }
    // butler queue
    const butlerId = await asPersona(c, BUTLER_SQL_ID)
    const queueRows = (await c.query(`select * from public.butler_queue()`)).rowCount ?? 0
    const serviceRows = (await svc.query(QUEUE_SQL, [butlerId])).rowCount ?? 0
    if (serviceRows !== queueRows || queueRows === 0) throw new Error(`queue: persona ${queueRows} rows, service ${serviceRows}`)
    const [queuePersona, queueService] = await timePair(
      () => c.query(`select * from public.butler_queue()`),
      () => svc.query(QUEUE_SQL, [butlerId]),
    )

    // suggestions: the persona calls the function; the service role runs its query with the pieces computed
    await c.query(`reset role`)
    const groupId = (await c.query<{ id: string }>(`select ${GROUP_SQL_ID} as id`)).rows[0].id
    const typed = (i: number) => TYPED[i % TYPED.length]
    const pieces: string[][] = []
    for (const t of TYPED) pieces.push((await c.query<{ t: string[] }>(`select private.bigrams($1) as t`, [t])).rows[0].t)
    await asPersona(c, WORKER_SQL_ID)
    const found = (await c.query(`select * from public.suggest_faq($1, '补贴')`, [groupId])).rowCount ?? 0
    if (found === 0) throw new Error('suggest_faq found nothing for 补贴')
    const [suggestPersona, suggestService] = await timePair(
      (i) => c.query(`select * from public.suggest_faq($1, $2)`, [groupId, typed(i)]),
      (i) => svc.query(SUGGEST_SQL, [groupId, pieces[i % TYPED.length], need(pieces[i % TYPED.length])]),
    )
    await svc.end()
    await c.query(`reset role`)
    const queuePlan = planSummary((await c.query(`explain (analyze, costs off) ${QUEUE_SQL}`, [butlerId])).rows.map((r) => String(r['QUERY PLAN'])))
    const terms = pieces[1]
    const suggestPlan = planSummary(
      (await c.query(`explain (analyze, costs off) ${SUGGEST_SQL}`, [groupId, terms, need(terms)])).rows.map((r) => String(r['QUERY PLAN'])),
    )

    // the minute job over the whole data set (as pg_cron runs it): a first run, then a quiet one
    const jobRun = async () => {
      const t0 = performance.now()
      const r = await c.query<{ r: unknown }>(`select private.run_question_desk_jobs() as r`)
      return { ms: performance.now() - t0, result: JSON.stringify(r.rows[0].r) }
    }
    const firstJob = await jobRun()
    const quietJob = await jobRun()

    const verdict = (persona: Timing, service: Timing) => {
      const ratio = persona.p95 / service.p95
      const ok = persona.p95 <= TARGET_MS && ratio <= TARGET_RATIO
      const says = `p95 ≤ ${TARGET_MS} ms ${persona.p95 <= TARGET_MS ? 'met' : 'NOT met'}, ≤ ${TARGET_RATIO}× ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'}`
      return { ratio, ok, says }
    }
    const q = verdict(queuePersona, queueService)
    const s = verdict(suggestPersona, suggestService)
    const fmt = (t: Timing) => `p50 ${t.p50.toFixed(2)} ms · p95 ${t.p95.toFixed(2)} ms`
    const rows: BenchRow[] = [
      {
        name: `butler queue (butler_queue() as a butler of 4 groups, RLS on), ${Number(counts.q).toLocaleString('en')} questions in ${GROUPS.toLocaleString('en')} groups`,
        value: fmt(queuePersona),
        note: `${queueRows} rows; service role, same query: ${fmt(queueService)}; ratio ${q.ratio.toFixed(2)}× (${q.says})`,
      },
      {
        name: 'FAQ suggestions while typing (suggest_faq as a member, RLS on), 10 FAQ + ~85 answered questions per group',
        value: fmt(suggestPersona),
        note: `${TYPED.length} typed texts in turn; service role, same query: ${fmt(suggestService)}; ratio ${s.ratio.toFixed(2)}× (${s.says})`,
      },
      {
        name: 'EXPLAIN ANALYZE, the query inside butler_queue()',
        value: `${queuePlan.ms.toFixed(2)} ms`,
        note: `indexes ${queuePlan.indexes.join(', ') || 'none'}; sequential scans: ${queuePlan.seqScans.join(', ') || 'none'}`,
      },
      {
        name: 'EXPLAIN ANALYZE, the query inside suggest_faq (创业担保贷款怎么申请)',
        value: `${suggestPlan.ms.toFixed(2)} ms`,
        note: `indexes ${suggestPlan.indexes.join(', ') || 'none'}; sequential scans: ${suggestPlan.seqScans.join(', ') || 'none'}`,
      },
      {
        name: 'the minute job (run_question_desk_jobs: overdue, hand-over, owners who left) over the data set',
        value: `${firstJob.ms.toFixed(0)} ms, then ${quietJob.ms.toFixed(0)} ms`,
        note: `first run ${firstJob.result}; the next minute ${quietJob.result}`,
      },
      {
        name: 'bulk load of the question-desk data set',
        value: `${loadSeconds.toFixed(1)} s`,
        note: `${Number(counts.m).toLocaleString('en')} memberships, ${Number(counts.f).toLocaleString('en')} FAQ entries, ${WORKERS.toLocaleString('en')} workers`,
      },
    ]
    return { rows, ok: q.ok && s.ok }
  } finally {
    await c.end()
    // BENCH_KEEP=1 keeps the scratch database for looking at plans by hand (drop it after).
    if (process.env.BENCH_KEEP === '1') console.log(`kept database ${name}`)
    else await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

export async function writeQuestionsSection(rows: BenchRow[], serverUrl: string) {
  const table = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx scripts/bench/questions.ts\` (also part of \`npm run bench\`) on PostgreSQL (${serverUrl.replace(/\/\/[^@]*@/, '//')}), ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}; times are one client's, in the database (pg, no HTTP).`,
    '',
    '| measurement | result | note |',
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.note ?? ''} |`),
  ].join('\n')
  const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md')
  let text = await readFile(file, 'utf8')
  const block = `<!-- bench-questions:start -->\n${table}\n<!-- bench-questions:end -->`
  const re = /<!-- bench-questions:start -->[\s\S]*<!-- bench-questions:end -->/
  text = re.test(text) ? text.replace(re, block) : text.replace(/\n## Size\n/, `\n## Question desk\n\n${block}\n\n## Size\n`)
  await writeFile(file, text)
  console.log(table)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  benchQuestions(url).then(
    async ({ rows, ok }) => {
      await writeQuestionsSection(rows, url)
      if (!ok) process.exitCode = 1
    },
    (e) => {
      console.error(e)
      process.exitCode = 1
    },
  )
}
