/**
 * What pg_cron does in production (migrations 20261121160000_schedule_notify_dispatch.sql and
 * 20261202130000_schedule_content_check.sql), done locally: every few seconds, POST
 * /functions/v1/notify-dispatch and /functions/v1/content-check with the service-role key, through the
 * local backend's own HTTP API exactly as net.http_post reaches a hosted project.
 * Before those calls, each round runs `public.release_scheduled_posts()` (pg_cron's job
 * release-scheduled-posts, migration 20261202201000): followers of a scheduled post are notified once its
 * time has come, so those notifications go out in the same round.
 *
 * Each round also runs the question desk's minute job (overdue flags, shift hand-overs: SQL, no
 * function), as pg_cron's job 'question-desk' does (20261202163000_question_desk_jobs_and_workbench.sql),
 * and the applications' minute job (monthly batches lock at their cut-off and open their 公示), as pg_cron's
 * job 'application-jobs' does (20261203160000_batch_operations.sql).
 *
 * Two differences, both to keep a test run light: a call is made only when there is due work (a pending
 * push, a message waiting for its content check: cheap queries; an empty queue never starts the
 * function's Deno process), and a round never overlaps the previous one. `startLocalBackend({ scheduler: false })` turns it off (tests that drive the
 * dispatcher by hand); `{ scheduler: { intervalMs } }` changes the pace.
 */
import type { Db } from './db'

export interface SchedulerOptions {
  db: Db
  /** The local backend's URL (known once it listens). */
  url: () => string
  serviceRoleKey: string
  /** Whether supabase/functions/notify-dispatch exists in the functions folder served. */
  hasDispatcher: () => boolean
  /** Whether supabase/functions/content-check exists in the functions folder served. */
  hasContentCheck?: () => boolean
  intervalMs?: number
  log?: (line: string) => void
}

export interface Scheduler {
  /** One round now (waits for a round already running instead of starting a second). */
  tick(): Promise<void>
  /** No more rounds; resolves when the one running has finished. */
  stop(): Promise<void>
}

export const DEFAULT_SCHEDULER_INTERVAL_MS = 5000

/** True when public.notifications has a push a dispatcher may claim now. */
export async function pushesDue(db: Db): Promise<boolean> {
  try {
    const r = await db.query(
      `select exists (select 1 from public.notifications n
                       where n.push_status = 'pending'
                         and coalesce(n.next_attempt_at, n.created_at) <= now()
                         and (n.lease_until is null or n.lease_until < now())) as due`,
    )
    return r.rows[0]?.due === true
  } catch {
    return false // a schema without the outbox (other migrations folders)
  }
}

/**
 * What pg_cron's job 'question-desk' does every minute in production (migration
 * 20261202163000_question_desk_jobs_and_workbench.sql): overdue flags and shift hand-overs, in SQL.
 */
export async function runQuestionDeskJobs(db: Db, log: (line: string) => void = () => undefined): Promise<void> {
  try {
    const r = await db.query(`select private.run_question_desk_jobs() as done`)
    const done = r.rows[0]?.done as { overdue?: number; handed_over?: number } | string | undefined
    const counts = typeof done === 'string' ? (JSON.parse(done) as { overdue?: number; handed_over?: number }) : done
    if (counts && (counts.overdue || counts.handed_over)) log(`scheduler: question desk ${JSON.stringify(counts)}`)
  } catch (e) {
    // A schema without the question desk (other migrations folders) has nothing to run.
    if ((e as { code?: string }).code !== '42883' && (e as { code?: string }).code !== '3F000') {
      log(`scheduler: question desk failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
}

/**
 * What pg_cron's job 'application-jobs' does every minute in production (migration
 * 20261203160000_batch_operations.sql): locks the monthly batches whose cut-off has passed.
 */
export async function runApplicationJobs(db: Db, log: (line: string) => void = () => undefined): Promise<number> {
  try {
    const r = await db.query(`select private.run_application_jobs() as n`)
    const n = Number(r.rows[0]?.n ?? 0)
    if (n > 0) log(`scheduler: application jobs locked ${n} batch(es)`)
    return n
  } catch (e) {
    // A schema without the applications (other migrations folders) has nothing to run.
    if ((e as { code?: string }).code !== '42883' && (e as { code?: string }).code !== '3F000') {
      log(`scheduler: application jobs failed: ${e instanceof Error ? e.message : String(e)}`)
    }
    return 0
  }
}

/** True when a group message waits for a content check that a checker may claim now. */
export async function checksDue(db: Db): Promise<boolean> {
  try {
    const r = await db.query(
      `select exists (select 1 from private.group_message_checks c
                       where c.next_attempt_at <= now() and (c.lease_until is null or c.lease_until < now())) as due`,
    )
    return r.rows[0]?.due === true
  } catch {
    return false // a schema without the check queue
  }
}

/**
 * Announces scheduled posts whose time has come (the release-scheduled-posts job); returns how many
 * notifications were asked for. A schema without the function (other migrations folders) releases none.
 */
export async function releaseScheduledPosts(db: Db, log: (line: string) => void = () => undefined): Promise<number> {
  try {
    const r = await db.query('select public.release_scheduled_posts() as n')
    return Number(r.rows[0]?.n ?? 0)
  } catch (e: unknown) {
    if ((e as { code?: string }).code !== '42883') log(`scheduler: release_scheduled_posts failed: ${e instanceof Error ? e.message : String(e)}`)
    return 0
  }
}

export function startScheduler(opts: SchedulerOptions): Scheduler {
  const interval = opts.intervalMs ?? DEFAULT_SCHEDULER_INTERVAL_MS
  const log = opts.log ?? (() => undefined)
  let stopped = false
  let running: Promise<void> | null = null
  let timer: NodeJS.Timeout | null = null

  async function call(name: string) {
    try {
      const res = await fetch(`${opts.url()}/functions/v1/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${opts.serviceRoleKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ time: new Date().toISOString() }),
      })
      const text = await res.text()
      log(`scheduler: ${name} ${res.status} ${text.slice(0, 300)}`)
    } catch (e) {
      log(`scheduler: ${name} failed: ${e instanceof Error ? e.message : e}`)
    }
  }

  async function round() {
    const released = await releaseScheduledPosts(opts.db, log)
    if (released > 0) log(`scheduler: release_scheduled_posts asked for ${released} notifications`)
    // The question desk's job first: the overdue and hand-over notifications it writes go out in the
    // same round.
    await runQuestionDeskJobs(opts.db, log)
    // Batches past their cut-off lock; the 公示 notifications go out in the same round.
    await runApplicationJobs(opts.db, log)
    // Content checks next: a message published now may mention a butler, whose push then goes out in
    // the same round.
    if (opts.hasContentCheck?.() && (await checksDue(opts.db))) await call('content-check')
    if (opts.hasDispatcher() && (await pushesDue(opts.db))) await call('notify-dispatch')
  }

  const tick = () => {
    running ??= round()
      .catch((e: unknown) => log(`scheduler: round failed: ${e instanceof Error ? e.message : e}`))
      .finally(() => {
        running = null
      })
    return running
  }

  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      void tick().then(schedule)
    }, interval)
    timer.unref()
  }
  schedule()

  return {
    tick,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
