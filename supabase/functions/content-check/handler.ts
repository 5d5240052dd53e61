// content-check: WeChat's content security check of group messages (内容安全). Members' messages wait
// in private.group_message_checks until this function has asked WeChat about them; then they are
// published or flagged (migration 20261202120000_group_message_checks.sql). Called every minute by pg_cron
// in production (20261202130000_schedule_content_check.sql) and every few seconds by the local backend's
// scheduler (supabase/local/scheduler.ts), like notify-dispatch.
//
//   POST, Authorization: Bearer <the service-role key>; body optional:
//     { "batch_size": 1–200 (20), "concurrency": 1–16 (4), "time_budget_ms": 1000–600000 (40000) }
//   200 { "claimed", "published", "flagged", "submitted", "retried" }
//   401 unauthorized · 403 forbidden (not the service role) · 400 bad_request · 405 · 500 server_misconfigured
//
// The loop: public.claim_content_checks takes due checks under a lease (skip locked: two checkers never
// share one); texts go to msgSecCheck (v2: openid, scene, content) and are judged at once; images and
// voice clips get a signed URL (an hour) and go to mediaCheckAsync, whose verdict arrives later as a
// wxa_media_check event at the wechat-events function. Outcomes (outcome.ts) are recorded in one
// public.finish_content_checks call per batch, until a claim comes back empty or the time budget is spent.
// A verdict is applied once (the check row is its claim), so a late or repeated call changes nothing.
import { AppError } from '../_shared/errors.ts'
import { type Env, type Logger, errorResponse, json, optionalEnv, preflight, requirePost } from '../_shared/http.ts'
import { SharedAccessToken, type TokenStore } from '../_shared/stable-token.ts'
import { type SecCheckScene, createWechatClient, wechatConfigFromEnv } from '../_shared/wechat.ts'
import { type CheckOutcome, DEFAULT_MAX_ATTEMPTS, MEDIA_VERDICT_WAIT_MS, outcomeOfError } from './outcome.ts'

/** A row as public.claim_content_checks returns it. */
export interface ClaimedCheck {
  message_id: string
  group_id: string
  sender_id: string
  openid: string | null
  kind: 'text' | 'image' | 'voice'
  body: string
  media_bucket: string | null
  media_path: string | null
  state: 'due' | 'awaiting'
  trace_id: string | null
  /** Including this one. */
  attempts: number
}

/** One outcome as public.finish_content_checks takes it. */
export interface CheckSettlement {
  message_id: string
  outcome: 'pass' | 'risky' | 'review' | 'submitted' | 'retry'
  label?: number | null
  trace_id?: string
  error?: string | null
  retry_at?: string
}

export interface CheckQueue {
  claim(batchSize: number, leaseSeconds: number): Promise<ClaimedCheck[]>
  finish(outcomes: CheckSettlement[]): Promise<number>
  /** A URL WeChat can fetch the object from, valid for `seconds`. */
  signMediaUrl(bucket: string, path: string, seconds: number): Promise<string>
}

export interface CheckDeps {
  env: Env
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  now: () => number
  random?: () => number
  verifyServiceRole: (authorization: string | null) => Promise<void>
  queue: CheckQueue
  tokenStore: TokenStore
  log?: Logger
}

export interface CheckSummary {
  claimed: number
  published: number
  flagged: number
  submitted: number
  retried: number
}

interface Options {
  batchSize: number
  concurrency: number
  timeBudgetMs: number
}

const OPTION_RANGES: Record<string, { key: keyof Options; min: number; max: number; default: number }> = {
  batch_size: { key: 'batchSize', min: 1, max: 200, default: 20 },
  concurrency: { key: 'concurrency', min: 1, max: 16, default: 4 },
  time_budget_ms: { key: 'timeBudgetMs', min: 1000, max: 600_000, default: 40_000 },
}

/** The scene WeChat weighs group chat under: 2 评论 (short texts by many people, read by a group). */
const SCENE: SecCheckScene = 2
/** The lease: long enough for a batch of calls that all run into the timeout. */
const LEASE_SECONDS = 120
/** How long the signed URL handed to mediaCheckAsync stays valid. */
const MEDIA_URL_SECONDS = 60 * 60

async function readOptions(req: Request): Promise<Options> {
  const text = (await req.text()).trim()
  let body: unknown = {}
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      throw new AppError('bad_request', '请求格式不正确，应为 JSON')
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new AppError('bad_request', '请求格式不正确，应为 JSON 对象')
  const out = Object.fromEntries(Object.values(OPTION_RANGES).map((r) => [r.key, r.default])) as unknown as Options
  for (const [name, value] of Object.entries(body)) {
    const range = OPTION_RANGES[name]
    if (!range) continue // e.g. pg_cron's {"time": …}
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      throw new AppError('bad_request', `${name} 应为 ${range.min} 到 ${range.max} 之间的整数`)
    }
    out[range.key] = value
  }
  return out
}

function maxAttempts(env: Env): number {
  const v = optionalEnv(env, 'CONTENT_CHECK_MAX_ATTEMPTS')
  if (v === undefined) return DEFAULT_MAX_ATTEMPTS
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new AppError('server_misconfigured', undefined, { detail: 'CONTENT_CHECK_MAX_ATTEMPTS must be 1 to 1000' })
  return n
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `work` over `items` with at most `limit` at once, keeping the order of the results. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export function settlementOf(row: ClaimedCheck, o: CheckOutcome): CheckSettlement {
  switch (o.outcome) {
    case 'submitted':
      return { message_id: row.message_id, outcome: 'submitted', trace_id: o.traceId, retry_at: new Date(o.retryAt).toISOString() }
    case 'retry':
      return { message_id: row.message_id, outcome: 'retry', error: o.error, retry_at: new Date(o.retryAt).toISOString() }
    default:
      return { message_id: row.message_id, outcome: o.outcome, label: o.label, error: o.error }
  }
}

export function createHandler(deps: CheckDeps): (req: Request) => Promise<Response> {
  const random = deps.random ?? Math.random
  const log = deps.log ?? (() => undefined)
  let tokens: SharedAccessToken | null = null

  return async (req) => {
    if (req.method === 'OPTIONS') return preflight()
    try {
      requirePost(req)
      await deps.verifyServiceRole(req.headers.get('authorization'))
      const opts = await readOptions(req)
      const config = wechatConfigFromEnv(deps.env)
      const attemptsLimit = maxAttempts(deps.env)
      const wechat = createWechatClient(config, deps.fetch)
      if (tokens?.appId !== config.appId) {
        tokens = new SharedAccessToken({ appId: config.appId, store: deps.tokenStore, fetchToken: (force) => wechat.getStableAccessToken(force), now: deps.now, log })
      }
      const shared = tokens

      const check = async (row: ClaimedCheck): Promise<CheckOutcome> => {
        // WeChat judges content for a person who used the mini-program recently; without their openid it
        // cannot, and the butlers decide.
        if (!row.openid) return { outcome: 'review', label: null, error: 'no_openid: the sender has no WeChat identity' }
        try {
          if (row.kind === 'text') {
            const r = await shared.call((token) => wechat.msgSecCheck(token, { content: row.body, openid: row.openid!, scene: SCENE }))
            return { outcome: r.suggest, label: r.label, error: null }
          }
          if (!row.media_bucket || !row.media_path) return { outcome: 'review', label: null, error: 'no_media: the message has no file' }
          const url = await deps.queue.signMediaUrl(row.media_bucket, row.media_path, MEDIA_URL_SECONDS)
          const traceId = await shared.call((token) =>
            wechat.mediaCheckAsync(token, { mediaUrl: url, mediaType: row.kind === 'voice' ? 1 : 2, openid: row.openid!, scene: SCENE }),
          )
          return { outcome: 'submitted', traceId, retryAt: deps.now() + MEDIA_VERDICT_WAIT_MS }
        } catch (e) {
          return outcomeOfError(e, row.attempts, attemptsLimit, deps.now(), random)
        }
      }

      /** finish_content_checks, tried three times (a repeat changes nothing); never throws. */
      const settle = async (outcomes: CheckSettlement[]) => {
        for (let i = 1; ; i++) {
          try {
            await deps.queue.finish(outcomes)
            return
          } catch (e) {
            if (i >= 3) {
              log(`checks ${outcomes.map((o) => o.message_id).join(', ')}: recording failed (${e}); they come back when their leases run out`)
              return
            }
            await sleep(200 * i)
          }
        }
      }

      const summary: CheckSummary = { claimed: 0, published: 0, flagged: 0, submitted: 0, retried: 0 }
      const started = deps.now()
      while (deps.now() - started < opts.timeBudgetMs) {
        const rows = await deps.queue.claim(opts.batchSize, LEASE_SECONDS)
        if (rows.length === 0) break
        summary.claimed += rows.length
        const outcomes = await pool(rows, opts.concurrency, check)
        for (const o of outcomes) {
          if (o.outcome === 'pass') summary.published++
          else if (o.outcome === 'risky' || o.outcome === 'review') summary.flagged++
          else if (o.outcome === 'submitted') summary.submitted++
          else summary.retried++
        }
        await settle(rows.map((row, i) => settlementOf(row, outcomes[i])))
        // Everything this call could do now is done when every row had to be put back for later.
        if (outcomes.every((o) => o.outcome === 'retry')) break
      }
      return json(summary satisfies CheckSummary)
    } catch (e) {
      return errorResponse(e, deps.log)
    }
  }
}
