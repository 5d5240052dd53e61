// notify-dispatch: pushes pending notifications (the outbox, public.notifications) to WeChat as
// subscription messages. Called every minute by pg_cron in production
// (migration 20261121160000_schedule_notify_dispatch.sql) and every few seconds by the local backend's
// scheduler (supabase/local/scheduler.ts).
//
//   POST, Authorization: Bearer <the service-role key>; body optional:
//     { "batch_size": 1–500 (100), "lease_seconds": 10–600 (60), "concurrency": 1–32 (16),
//       "max_batches": 1–10000 (1000), "time_budget_ms": 1000–600000 (40000) }
//   200 { "claimed": n, "sent": n, "skipped": n, "failed": n, "retried": n }
//   401 unauthorized (no or bad key) · 403 forbidden (a valid token that is not the service role)
//   400 bad_request · 405 method_not_allowed · 500 server_misconfigured (WeChat app or WECHAT_TEMPLATES)
//   502 wechat_unavailable (no access token could be had; the claimed rows are put back for a retry)
//
// The loop: public.claim_pushes(batch_size, lease_seconds) takes due rows under a lease (skip locked:
// concurrent dispatchers never share a row; rows of people without subscription quota are settled as
// skipped there, without a call to WeChat); each row goes to subscribeMessage.send with the backend's
// shared access token; the outcomes (outcome.ts) are recorded in bulk by public.finish_pushes — until a
// claim comes back empty, max_batches were claimed or time_budget_ms has passed (then the next call
// carries on).
// `concurrency` senders work through the claimed rows, so at most that many sends are in flight to
// WeChat at once; the next batch is claimed while the last rows of the current one are still out. A short
// batch does not mean the outbox is empty: a claim takes no more of a person's pushes than their quota.
// `claimed` counts the rows handed to this dispatcher; `skipped` counts 43101 answers (rows settled
// inside claim_pushes for want of quota are not in the summary); `retried` counts rows put back with a
// later retry_at.
//
// Recording in bulk: one finish_pushes call per SETTLE_BATCH outcomes instead of one request per push (a
// request costs the API far more than settling one row). Outcomes wait until SETTLE_BATCH have gathered
// or SETTLE_DELAY_MS have passed since the first of them, and are recorded at once when a claim waits for
// settled rows and before the call answers; a row counts as out (unsettled) until its outcome is recorded.
//
// Never twice, and the window that remains:
// - A row is sent only by the dispatcher holding its lease, and finish_pushes ignores a row that is no
//   longer pending, so a late or repeated outcome changes nothing (a flush tried again after an answer
//   was lost included).
// - A send is started only while the lease has enough time left for it to finish (SEND_WINDOW); a row
//   reached later is put back unsent, so a slow dispatcher never overlaps the next holder of a row.
// - What remains is at-least-once: when WeChat has accepted a message but its outcome is never recorded
//   (the function is killed in between, which includes the up to SETTLE_DELAY_MS an outcome waits for
//   others to be recorded with it, or the database cannot be reached after three tries), the lease runs
//   out and the row is sent again. Likewise when WeChat accepts a message but its answer is lost to
//   a timeout or a cut connection: we cannot tell that from a failure, and retry. WeChat's send has no
//   idempotency key to close either window.
import { AppError } from '../_shared/errors.ts'
import { type Env, type Logger, errorResponse, json, optionalEnv, preflight, requirePost } from '../_shared/http.ts'
import { SharedAccessToken, type TokenStore } from '../_shared/stable-token.ts'
import {
  type MiniprogramState,
  type SubscribeMessage,
  type WechatClient,
  createWechatClient,
  wechatConfigFromEnv,
  wechatFailure,
} from '../_shared/wechat.ts'
import { FieldError, type PushRow, TemplateConfigError, type Templates, buildMessageData, pageFor, parseTemplates } from './message.ts'
import { DEFAULT_MAX_ATTEMPTS, type Outcome, outcomeOfError, retryOrFail } from './outcome.ts'

/** A row as public.claim_pushes returns it. */
export interface ClaimedPush extends PushRow {
  recipient_id: string
  openid: string | null
  push_template: string | null
  /** Including this attempt. */
  attempts: number
}

export type FinishStatus = 'sent' | 'skipped' | 'failed' | 'pending'

/** One outcome as public.finish_pushes takes it. */
export interface Settlement {
  id: ClaimedPush['id']
  status: FinishStatus
  error: string | null
  /** ISO 8601, only with `pending`. */
  retry_at: string | null
}

/** The dispatcher RPCs (service role). */
export interface Outbox {
  claim(batchSize: number, leaseSeconds: number): Promise<ClaimedPush[]>
  /** public.finish_pushes (at most 500 outcomes): how many rows were still pending and are now settled. */
  finish(outcomes: Settlement[]): Promise<number>
}

/** Outcomes recorded in one finish_pushes call at most (the function takes 500). */
export const SETTLE_BATCH = 100
/** How long the first outcome of a flush waits for others to be recorded with it. */
export const SETTLE_DELAY_MS = 100

export interface DispatchDeps {
  env: Env
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** Milliseconds since the epoch. */
  now: () => number
  /** [0, 1), for the retry jitter. */
  random?: () => number
  /** Resolves for the service role; throws 401 `unauthorized` / 403 `forbidden` otherwise. */
  verifyServiceRole: (authorization: string | null) => Promise<void>
  outbox: Outbox
  /** Where the backend's one WeChat access token is cached (private.wechat_access_tokens). */
  tokenStore: TokenStore
  log?: Logger
}

export interface DispatchSummary {
  claimed: number
  sent: number
  skipped: number
  failed: number
  retried: number
}

interface Options {
  batchSize: number
  leaseSeconds: number
  concurrency: number
  maxBatches: number
  timeBudgetMs: number
}

const OPTION_RANGES: Record<string, { key: keyof Options; min: number; max: number; default: number }> = {
  // 100: half the claims of 50 (each an API request), and still sent within the default lease when every
  // send runs into WECHAT_TIMEOUT_MS (100 / 16 senders × 5 s < 60 s less the send window); a bigger batch
  // would then put its last rows back unsent, each having used an attempt.
  batch_size: { key: 'batchSize', min: 1, max: 500, default: 100 },
  lease_seconds: { key: 'leaseSeconds', min: 10, max: 600, default: 60 },
  concurrency: { key: 'concurrency', min: 1, max: 32, default: 16 },
  max_batches: { key: 'maxBatches', min: 1, max: 10_000, default: 1000 },
  time_budget_ms: { key: 'timeBudgetMs', min: 1000, max: 600_000, default: 40_000 },
}

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

function misconfigured(detail: string): AppError {
  return new AppError('server_misconfigured', undefined, { detail })
}

function miniprogramState(env: Env): MiniprogramState {
  const v = optionalEnv(env, 'WECHAT_MINIPROGRAM_STATE') ?? 'formal'
  if (v !== 'developer' && v !== 'trial' && v !== 'formal') throw misconfigured('WECHAT_MINIPROGRAM_STATE must be developer, trial or formal')
  return v
}

function maxAttempts(env: Env): number {
  const v = optionalEnv(env, 'NOTIFY_MAX_ATTEMPTS')
  if (v === undefined) return DEFAULT_MAX_ATTEMPTS
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1 || n > 100) throw misconfigured('NOTIFY_MAX_ATTEMPTS must be an integer from 1 to 100')
  return n
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function createHandler(deps: DispatchDeps): (req: Request) => Promise<Response> {
  const random = deps.random ?? Math.random
  const log = deps.log ?? (() => undefined)
  // The backend's shared access token (see _shared/stable-token.ts), for the app id it was made for.
  let tokens: SharedAccessToken | null = null

  function tokensFor(wechat: WechatClient, appId: string): SharedAccessToken {
    if (tokens?.appId !== appId) {
      tokens = new SharedAccessToken({ appId, store: deps.tokenStore, fetchToken: (force) => wechat.getStableAccessToken(force), now: deps.now, log })
    }
    return tokens
  }

  /**
   * finish_pushes for a batch of outcomes, tried three times (a repeat after a lost answer changes
   * nothing): an outcome that is never recorded means the row is sent again. Never throws.
   */
  async function settle(batch: { row: ClaimedPush; outcome: Outcome }[]): Promise<void> {
    const outcomes: Settlement[] = batch.map(({ row, outcome }) => ({
      id: row.id,
      status: outcome.status,
      error: outcome.status === 'sent' ? null : outcome.error,
      retry_at: outcome.status === 'pending' ? new Date(outcome.retryAt).toISOString() : null,
    }))
    for (let i = 1; ; i++) {
      try {
        const settled = await deps.outbox.finish(outcomes)
        if (i === 1 && settled < outcomes.length) {
          log(`${outcomes.length - settled} of ${outcomes.length} outcomes found their row no longer pending (a lease ran out?); they changed nothing`)
        }
        return
      } catch (e) {
        if (i >= 3) {
          log(`pushes ${outcomes.map((o) => o.id).join(', ')}: recording their outcomes failed (${e}); the rows come back when their leases run out`)
          return
        }
        await sleep(200 * i)
      }
    }
  }

  return async (req) => {
    if (req.method === 'OPTIONS') return preflight()
    try {
      requirePost(req)
      await deps.verifyServiceRole(req.headers.get('authorization'))
      const opts = await readOptions(req)

      // Configuration first: a misconfigured deployment claims nothing.
      const config = wechatConfigFromEnv(deps.env)
      let templates: Templates
      try {
        templates = parseTemplates(deps.env('WECHAT_TEMPLATES'))
      } catch (e) {
        throw e instanceof TemplateConfigError ? misconfigured(e.message) : e
      }
      const state = miniprogramState(deps.env)
      const attemptsLimit = maxAttempts(deps.env)
      // The longest one send can take: the token (read, maybe stable_token twice) and the message twice;
      // and a second to record its outcome (SETTLE_DELAY_MS, then finish_pushes with its retries' 600 ms).
      const sendWindowMs = 4 * config.timeoutMs + 1000
      if (opts.leaseSeconds * 1000 < sendWindowMs + 1000) {
        throw new AppError('bad_request', `lease_seconds 至少应为 ${Math.ceil((sendWindowMs + 1000) / 1000)}`)
      }
      const wechat = createWechatClient(config, deps.fetch)
      const shared = tokensFor(wechat, config.appId)

      const summary: DispatchSummary = { claimed: 0, sent: 0, skipped: 0, failed: 0, retried: 0 }
      const count = (o: Outcome) => {
        if (o.status === 'pending') summary.retried++
        else summary[o.status]++
      }

      const send = async (row: ClaimedPush, sendBy: number): Promise<Outcome> => {
        if (!row.openid) return { status: 'failed', error: 'no_openid' }
        const template = row.push_template ? templates[row.push_template] : undefined
        if (!template) return { status: 'failed', error: `no_template: ${row.push_template} is not in WECHAT_TEMPLATES` }
        let message: SubscribeMessage
        try {
          const page = pageFor(template, row)
          message = {
            touser: row.openid,
            template_id: template.id,
            ...(page ? { page } : {}),
            data: buildMessageData(template, row),
            miniprogram_state: state,
            lang: 'zh_CN',
          }
        } catch (e) {
          if (e instanceof FieldError) return { status: 'failed', error: `bad_field: ${e.message}` }
          throw e
        }
        // Too late to finish before the lease runs out: put it back unsent, due at once.
        if (deps.now() > sendBy) return { status: 'pending', error: 'lease ran out before sending', retryAt: deps.now() }
        try {
          await shared.call((token) => wechat.sendSubscribeMessage(token, message))
          return { status: 'sent' }
        } catch (e) {
          return outcomeOfError(e, row.attempts, attemptsLimit, deps.now(), random)
        }
      }

      // A pipeline: `concurrency` senders take rows from a queue, and the next batch is claimed while
      // the current one is still being sent (once no more rows wait than there are senders), so WeChat
      // has up to `concurrency` sends in flight instead of a batch's stragglers alone. Claims run one at
      // a time; each row keeps the send-by time of its own claim. A claim made while rows are still out
      // can come back empty only because our own leases hold the people's quota (claim_pushes counts
      // them): then the next claim waits until those rows are settled, and only an empty claim with
      // nothing out ends the call.
      const started = deps.now()
      const queue: { row: ClaimedPush; sendBy: number }[] = []
      let out = 0 // rows taken from the queue (or put back for want of a token) and not yet settled
      let batches = 0
      let done = false // nothing more to claim: an empty claim, max_batches, the time budget or an error
      let waitForIdle = false
      let tokenError: unknown = null
      let claimError: unknown = null
      let claiming: Promise<void> | null = null
      // Wakes the senders waiting for a row to be settled or a claim to come in.
      let wake = () => {}
      let changed = new Promise<void>((resolve) => (wake = resolve))
      const notify = () => {
        const w = wake
        changed = new Promise<void>((resolve) => (wake = resolve))
        w()
      }

      // Outcomes waiting to be recorded, and the finish_pushes calls under way. A row stays `out` until
      // the call recording it has ended (or given up).
      const unsettled: { row: ClaimedPush; outcome: Outcome }[] = []
      const flushing = new Set<Promise<void>>()
      let flushTimer: ReturnType<typeof setTimeout> | undefined
      const flush = () => {
        clearTimeout(flushTimer)
        flushTimer = undefined
        while (unsettled.length > 0) {
          const batch = unsettled.splice(0, SETTLE_BATCH)
          const call: Promise<void> = settle(batch).finally(() => {
            out -= batch.length
            flushing.delete(call)
            notify()
          })
          flushing.add(call)
        }
      }
      const record = (row: ClaimedPush, outcome: Outcome) => {
        count(outcome)
        unsettled.push({ row, outcome })
        if (unsettled.length >= SETTLE_BATCH) flush()
        else flushTimer ??= setTimeout(flush, SETTLE_DELAY_MS)
      }
      /** Records every outcome still waiting and waits for every call under way. */
      const settleAll = async () => {
        flush()
        while (flushing.size > 0) await Promise.all(flushing)
      }

      const claimNext = async (): Promise<void> => {
        if (batches >= opts.maxBatches || deps.now() - started >= opts.timeBudgetMs) {
          done = true
          return
        }
        batches++
        const busy = out > 0 || queue.length > 0
        const claimedAt = deps.now()
        let rows: ClaimedPush[]
        try {
          rows = await deps.outbox.claim(opts.batchSize, opts.leaseSeconds)
        } catch (e) {
          done = true
          claimError = e
          return
        }
        summary.claimed += rows.length
        if (rows.length === 0) {
          if (busy) waitForIdle = true
          else done = true
          return
        }
        // One access token for the batch before anything of it is sent; without one, the batch goes
        // back and nothing more is claimed.
        try {
          await shared.get()
        } catch (e) {
          done = true
          tokenError = e
          out += rows.length
          for (const row of rows) {
            record(row, retryOrFail(`access token: ${e instanceof Error ? e.message : String(e)}`, row.attempts, attemptsLimit, deps.now(), random))
          }
          flush()
          return
        }
        const sendBy = claimedAt + opts.leaseSeconds * 1000 - sendWindowMs
        for (const row of rows) queue.push({ row, sendBy })
      }
      /** Starts the next claim when one may start: none running, more to claim, and not waiting for idle. */
      const refill = () => {
        if (claiming || done) return
        if (waitForIdle) {
          // The claim waits for our rows to be settled: record the outcomes gathered so far now.
          if (queue.length === 0 && unsettled.length > 0) flush()
          if (out > 0 || queue.length > 0) return
          waitForIdle = false
        }
        claiming = claimNext()
          .catch((e) => {
            done = true
            claimError ??= e
          })
          .finally(() => {
            claiming = null
            notify()
          })
      }

      const sender = async (): Promise<void> => {
        for (;;) {
          if (queue.length <= opts.concurrency) refill()
          const item = queue.shift()
          if (item) {
            out++
            let o: Outcome
            try {
              o = await send(item.row, item.sendBy)
            } catch (e) {
              out-- // not recorded: the row comes back when its lease runs out
              notify()
              throw e
            }
            record(item.row, o)
            continue
          }
          if (done && !claiming) return
          await (claiming ?? changed)
        }
      }
      const senders = await Promise.allSettled(Array.from({ length: opts.concurrency }, sender))
      await settleAll()
      const failed = senders.find((r): r is PromiseRejectedResult => r.status === 'rejected')
      if (failed) throw failed.reason
      if (claimError) throw claimError
      if (tokenError) throw wechatFailure(tokenError, '微信服务返回错误')
      return json(summary satisfies DispatchSummary)
    } catch (e) {
      return errorResponse(e, deps.log)
    }
  }
}
