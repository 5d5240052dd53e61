/**
 * Groups at scale (issue 10), on real PostgreSQL: 100,000 workers, 2,000 groups of 50 members and two
 * butlers each (200 butlers, 20 groups each), 1,000,000 messages (500 per group; some pending their
 * content check, some flagged), every member with 50 unread.
 *
 * Measured in the database, as the app's queries run there: each query in its own transaction under the
 * persona's role and claims (`set local role authenticated`, request.jwt.claims, as /rest/v1 does), so
 * row-level security decides; and the same query as the service role (RLS bypassed) with the same `sub`,
 * for the ratio. Times are wall-clock round trips of the statement alone from a pg client on the same
 * machine: BENCH_GROUP_RUNS random people and groups, each timed both ways in a random order (same data,
 * cache and load for both), p50 and p95.
 *   group page        public.group_messages(group_id)                the latest 30
 *   new since cursor  public.group_messages(group_id, since => rev)   5 new rows after the cursor
 *   my groups         public.my_groups() for a worker (1 group) and a butler (20 groups), with unread counts
 * Plus EXPLAIN of the same statements run on the table itself as the persona (RLS on: what a direct
 * `from('group_messages')` read costs), to show the indexes used.
 * Targets: p95 ≤ 10 ms, persona ≤ 1.5 × service role.
 *
 * `benchGroups(url)` creates a database of its own on the server `url` points at and drops it after
 * (never the database named in the URL). Standalone: `npx tsx scripts/bench/groups.ts` also writes the
 * table into BENCHMARKS.md between `<!-- bench:groups:start -->` and `<!-- bench:groups:end -->`.
 */
import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import pg from 'pg'
import { openPostgres } from '../../supabase/local/db'
import { migrate } from '../../supabase/local/migrate'
import type { BenchRow } from './rest'

const WORKERS = Number(process.env.BENCH_GROUP_WORKERS ?? 100_000)
const GROUPS = Number(process.env.BENCH_GROUPS ?? 2_000)
const PER_GROUP = Number(process.env.BENCH_GROUP_MESSAGES ?? 500)
const BUTLERS = 200
const RUNS = Number(process.env.BENCH_GROUP_RUNS ?? 300)
const UNREAD = 50

const worker = (i: string) => `('00000000-0000-4000-a000-' || lpad((${i})::text, 12, '0'))::uuid`
const butler = (i: string) => `('00000000-0000-4000-b000-' || lpad((${i})::text, 12, '0'))::uuid`
const group = (i: string) => `('00000000-0000-4000-c000-' || lpad((${i})::text, 12, '0'))::uuid`
const uuidOf = (prefix: string, i: number) => `00000000-0000-4000-${prefix}000-${String(i).padStart(12, '0')}`

function pct(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

async function fill(c: pg.Client, log: (s: string) => void) {
  const t0 = performance.now()
  await c.query(`insert into public.profiles (id, display_name) select ${worker('i')}, '职工' || i from generate_series(1, $1) i`, [WORKERS])
  await c.query(`insert into public.profiles (id, display_name, role) select ${butler('i')}, '管家' || i, 'butler' from generate_series(1, $1) i`, [BUTLERS])
  await c.query(
    `insert into public.groups (id, name, district, invite_code) select ${group('g')}, '压测群' || g, '压测街道', 'B' || lpad(g::text, 6, '0') from generate_series(1, $1) g`,
    [GROUPS],
  )
  // Worker i is in group 1 + (i − 1) % GROUPS; group g has two butlers, 1 + g % B and 1 + (g + B/2) % B.
  await c.query(
    `insert into public.group_members (group_id, user_id, role, last_read_rev)
     select ${group('1 + (i - 1) % $2')}, ${worker('i')}, 'member', $3 from generate_series(1, $1) i`,
    [WORKERS, GROUPS, PER_GROUP - UNREAD],
  )
  await c.query(
    `insert into public.group_members (group_id, user_id, role, last_read_rev)
     select ${group('g')}, ${butler('1 + g % $2')}, 'butler'::public.group_role, $3::bigint from generate_series(1, $1) g
     union all
     select ${group('g')}, ${butler(`1 + (g + ${BUTLERS / 2}) % $2`)}, 'butler'::public.group_role, $3::bigint from generate_series(1, $1) g`,
    [GROUPS, BUTLERS, PER_GROUP - UNREAD],
  )
  log(`people, groups and members in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  // Message s of group g: every 10th by a butler, the rest by one of the group's 50 members; 1 in 97 still
  // pending its check, 1 in 89 flagged.
  const t1 = performance.now()
  await c.query(`set session_replication_role = replica`) // no FK checks for the bulk load; the data is consistent by construction
  const chunk = 200
  for (let from = 1; from <= GROUPS; from += chunk) {
    const to = Math.min(GROUPS, from + chunk - 1)
    await c.query(
      `insert into public.group_messages (id, group_id, seq, rev, sender_id, kind, body, status, payload_hash, created_at, published_at)
       select ('d0000000-' || lpad(g::text, 4, '0') || '-4000-8000-' || lpad(s::text, 12, '0'))::uuid,
              ${group('g')}, s, s,
              case when s % 10 = 0 then ${butler('1 + g % ' + BUTLERS)} else ${worker(`g + ${GROUPS} * (s % ${WORKERS / GROUPS})`)} end,
              'text', '压测消息第' || s || '条：请问创业补贴怎么申请？',
              case when s % 97 = 0 then 'pending' when s % 89 = 0 then 'flagged' else 'published' end,
              md5(g::text || ':' || s), now() - make_interval(mins => ${PER_GROUP} - s),
              case when s % 97 = 0 or s % 89 = 0 then null else now() - make_interval(mins => ${PER_GROUP} - s) end
         from generate_series($1::int, $2::int) g, generate_series(1, ${PER_GROUP}) s`,
      [from, to],
    )
  }
  await c.query(`set session_replication_role = origin`)
  await c.query(`insert into private.group_message_counters (group_id, last_value) select ${group('g')}, $2 from generate_series(1, $1) g`, [GROUPS, PER_GROUP])
  log(`${(GROUPS * PER_GROUP).toLocaleString('en')} messages in ${((performance.now() - t1) / 1000).toFixed(1)} s`)
  await c.query('analyze')
}

type As = 'persona' | 'service'

/**
 * Runs `sql` in a transaction as the persona `sub` (RLS on) or as the service role with the same sub;
 * `ms` is the time of the statement alone (not of begin, the role settings or commit).
 */
async function asRole(c: pg.Client, as: As, sub: string, sql: string, params: unknown[]): Promise<{ result: pg.QueryResult; ms: number }> {
  await c.query('begin')
  try {
    await c.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      as === 'persona' ? 'authenticated' : 'service_role',
      JSON.stringify({ sub, role: as === 'persona' ? 'authenticated' : 'service_role' }),
    ])
    const t0 = performance.now()
    const result = await c.query(sql, params)
    return { result, ms: performance.now() - t0 }
  } finally {
    await c.query('commit')
  }
}

interface Case {
  name: string
  /** A random person and the query's parameters. */
  pick(): { sub: string; params: unknown[] }
  sql: string
  /** Rows expected as the persona (checks the query does what it says). */
  expectRows: number
}

/**
 * p-sorted times of `k` as the persona and as the service role: each run takes one random pick and times
 * it both ways, in a random order, so both meet the same data, the same cache and the same load.
 */
async function measure(c: pg.Client, k: Case): Promise<{ persona: number[]; service: number[] }> {
  for (let i = 0; i < 20; i++) {
    const { sub, params } = k.pick()
    await asRole(c, 'persona', sub, k.sql, params)
    await asRole(c, 'service', sub, k.sql, params)
  }
  const persona: number[] = []
  const service: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const { sub, params } = k.pick()
    for (const as of (Math.random() < 0.5 ? ['persona', 'service'] : ['service', 'persona']) as As[]) {
      const { result: r, ms } = await asRole(c, as, sub, k.sql, params)
      ;(as === 'persona' ? persona : service).push(ms)
      if (as === 'persona' && r.rowCount !== k.expectRows) throw new Error(`${k.name}: ${r.rowCount} rows, expected ${k.expectRows}`)
    }
  }
  return { persona: persona.sort((a, b) => a - b), service: service.sort((a, b) => a - b) }
}

/** The indexes a plan uses, and whether it scans group_messages sequentially. */
function indexesOf(plan: string): string {
  const used = [...new Set([...plan.matchAll(/Index (?:Only )?Scan(?: Backward)? using (\w+)/g)].map((m) => m[1]))]
  const seq = [...new Set([...plan.matchAll(/Seq Scan on (\w+)/g)].map((m) => m[1]))]
  return `${used.join(', ') || 'no index'}${seq.length ? `; seq scan on ${seq.join(', ')}` : ''}`
}

export async function benchGroups(databaseUrl: string, log: (s: string) => void = () => undefined): Promise<BenchRow[]> {
  // BENCH_GROUPS_DB names a database kept by an earlier run (BENCH_GROUPS_KEEP=1) to measure again.
  const reuse = process.env.BENCH_GROUPS_DB
  const name = reuse ?? `cg_bench_groups_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: databaseUrl })
  await admin.connect()
  if (!reuse) await admin.query(`create database ${name}`)
  const url = new URL(databaseUrl)
  url.pathname = `/${name}`
  const c = new pg.Client({ connectionString: url.toString() })
  try {
    const db = await openPostgres(url.toString())
    try {
      await migrate(db, {})
    } finally {
      await db.close()
    }
    await c.connect()
    if (!reuse) await fill(c, log)

    const rnd = (n: number) => 1 + Math.floor(Math.random() * n)
    const workerAndGroup = () => {
      const i = rnd(WORKERS)
      return { sub: uuidOf('a', i), group: uuidOf('c', 1 + ((i - 1) % GROUPS)) }
    }
    const cases: Case[] = [
      {
        name: 'group page: latest 30 messages (group_messages)',
        sql: `select * from public.group_messages($1)`,
        pick: () => {
          const w = workerAndGroup()
          return { sub: w.sub, params: [w.group] }
        },
        expectRows: 30,
      },
      {
        name: 'new since cursor: 5 new rows (group_messages since)',
        sql: `select * from public.group_messages($1, since => $2)`,
        pick: () => {
          const w = workerAndGroup()
          // The five newest messages are published (seq 496–500 avoid the pending and flagged ones).
          return { sub: w.sub, params: [w.group, PER_GROUP - 5] }
        },
        expectRows: 5,
      },
      {
        name: 'my groups with unread counts, a worker (1 group)',
        sql: `select * from public.my_groups()`,
        pick: () => ({ sub: workerAndGroup().sub, params: [] }),
        expectRows: 1,
      },
      {
        name: `my groups with unread counts, a butler (${(GROUPS * 2) / BUTLERS} groups)`,
        sql: `select * from public.my_groups()`,
        pick: () => ({ sub: uuidOf('b', rnd(BUTLERS)), params: [] }),
        expectRows: (GROUPS * 2) / BUTLERS,
      },
    ]

    const rows: BenchRow[] = []
    for (const k of cases) {
      const { persona, service } = await measure(c, k)
      const ratio = pct(persona, 95) / pct(service, 95)
      const ok = pct(persona, 95) <= 10 && ratio <= 1.5
      rows.push({
        name: k.name,
        value: `persona p50 ${pct(persona, 50).toFixed(2)} ms · p95 ${pct(persona, 95).toFixed(2)} ms; service role p50 ${pct(service, 50).toFixed(2)} ms · p95 ${pct(service, 95).toFixed(2)} ms; ratio p50 ${(pct(persona, 50) / pct(service, 50)).toFixed(2)}× · p95 ${ratio.toFixed(2)}×`,
        note: `${RUNS} runs each; ${ok ? 'within' : 'OUTSIDE'} target (p95 ≤ 10 ms, ≤ 1.5×)`,
      })
      log(`${k.name}: ${rows[rows.length - 1].value}`)
    }

    // EXPLAIN of the statements inside the functions, as a worker with RLS on.
    const w = workerAndGroup()
    const plans: [string, string, unknown[]][] = [
      ['group page', `select m.* from public.group_messages m where m.group_id = $1 and m.seq < 9223372036854775807 order by m.seq desc limit 30`, [w.group]],
      ['since cursor', `select m.* from public.group_messages m where m.group_id = $1 and m.rev > $2 order by m.rev limit 30`, [w.group, PER_GROUP - 5]],
      [
        'unread count',
        `select count(*) from (select 1 from public.group_messages u join public.group_members gm on gm.group_id = u.group_id and gm.user_id = $2
          where u.group_id = $1 and u.rev > gm.last_read_rev and u.status = 'published' and u.withdrawn_at is null and u.sender_id <> gm.user_id limit 100) x`,
        [w.group, w.sub],
      ],
      [
        'latest visible message',
        `select m.id from public.group_messages m where m.group_id = $1 and (m.status = 'published' or m.sender_id = $2) order by m.seq desc limit 1`,
        [w.group, w.sub],
      ],
    ]
    for (const [what, sql, params] of plans) {
      const { result: r } = await asRole(c, 'persona', w.sub, `explain (analyze, costs off, timing off, summary on) ${sql}`, params)
      const plan = r.rows.map((x) => x['QUERY PLAN']).join('\n')
      const exec = /Execution Time: ([\d.]+) ms/.exec(plan)?.[1]
      rows.push({ name: `EXPLAIN ${what}: the statement on the table itself, as a worker with RLS on`, value: indexesOf(plan), note: `execution ${exec} ms` })
      log(`${what}:\n${plan}`)
    }
    return rows
  } finally {
    await c.end().catch(() => undefined)
    // BENCH_GROUPS_KEEP=1 keeps the database for a closer look (its name is logged).
    if (process.env.BENCH_GROUPS_KEEP === '1' || reuse) log(`kept database ${name}`)
    else await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
}

export function groupsTable(rows: BenchRow[], serverUrl: string): string {
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npx tsx scripts/bench/groups.ts\` (also run by \`npm run bench\`) on PostgreSQL (${serverUrl.replace(/\/\/[^@]*@/, '//')}), ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}: ${WORKERS.toLocaleString('en')} workers, ${GROUPS.toLocaleString('en')} groups, ${(GROUPS * PER_GROUP).toLocaleString('en')} messages.`,
    '',
    '| measurement | result |',
    '| --- | --- |',
    ...rows.map((r) => `| ${r.name} | ${r.value}${r.note ? ` (${r.note})` : ''} |`),
  ].join('\n')
}

/** Writes the table into BENCHMARKS.md between its own markers (a section of its own, beside the others). */
export async function writeGroupsSection(table: string): Promise<void> {
  const file = path.resolve(__dirname, '..', '..', 'BENCHMARKS.md')
  let text = await readFile(file, 'utf8').catch(() => '# Benchmarks\n')
  const block = `<!-- bench:groups:start -->\n${table}\n<!-- bench:groups:end -->`
  text = /<!-- bench:groups:start -->[\s\S]*<!-- bench:groups:end -->/.test(text)
    ? text.replace(/<!-- bench:groups:start -->[\s\S]*<!-- bench:groups:end -->/, block)
    : text.replace(/\n## Size\n/, `\n## Groups and messages at scale\n\n${block}\n\n## Size\n`)
  await writeFile(file, text)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
  benchGroups(serverUrl, (s) => console.error(s))
    .then(async (rows) => {
      const table = groupsTable(rows, serverUrl)
      console.log(table)
      await writeGroupsSection(table)
    })
    .catch((e) => {
      console.error(e)
      process.exit(1)
    })
}
