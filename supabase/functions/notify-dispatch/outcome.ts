// What becomes of a push after WeChat's answer: the outcome public.finish_push records, and when a retry
// is due. No Deno or npm imports (the Node tests import this file as it is).
//
//   answer                                               outcome    last_error
//   errcode 0                                            sent       –
//   43101 the person refused / no subscription left      skipped    refused: 43101 …   (finish_push sets the quota to 0)
//   40001 / 40014 / 42001 access token                   (the token is refreshed once and the send repeated
//                                                        before this table is consulted; still rejected → retry)
//   47003 bad data, 40037 bad template id, 41030 bad     failed     wechat 47003: …   (a bug or a misconfigured
//   page, 40003 bad openid                                                           template: retrying cannot help)
//   45009 daily limit, 45011 rate limit, -1 busy, any    pending    with retry_at after a growing delay; failed
//   other errcode, HTTP 5xx, timeout, network failure,              once the row has had MAX attempts
//   an answer that is not JSON
import { ACCESS_TOKEN_ERRCODES, WechatApiError, WechatUnavailableError } from '../_shared/wechat.ts'

/** First retry after about 30 s, then 1, 2, 4 … minutes, never more than 30 minutes apart. */
export const RETRY_BASE_MS = 30 * 1000
export const RETRY_CAP_MS = 30 * 60 * 1000
/** Attempts (claims) a push gets before a temporary failure becomes `failed`: retries over about an hour. */
export const DEFAULT_MAX_ATTEMPTS = 8

/** errcodes after which a retry cannot succeed: the request itself is wrong. */
export const PERMANENT_ERRCODES = new Set([47003, 40037, 41030, 40003])
/** The person refused the template or has no subscription left. */
export const REFUSED_ERRCODE = 43101

export type Outcome =
  | { status: 'sent' }
  | { status: 'skipped'; error: string }
  | { status: 'failed'; error: string }
  | { status: 'pending'; error: string; retryAt: number }

/**
 * The delay before retry number `attempt` (1 after the first failure): RETRY_BASE_MS × 2^(attempt − 1),
 * capped at RETRY_CAP_MS, then spread by ±20 % (`random` in [0, 1)) so a burst of failures does not come
 * back as a burst.
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 20)))
  return Math.round(exp * (0.8 + 0.4 * random()))
}

const short = (s: string) => (s.length > 300 ? s.slice(0, 299) + '…' : s)

/** A retry after the backoff, or `failed` when the row has used its attempts. */
export function retryOrFail(error: string, attempts: number, maxAttempts: number, now: number, random: () => number = Math.random): Outcome {
  if (attempts >= maxAttempts) return { status: 'failed', error: short(`gave up after ${attempts} attempts: ${error}`) }
  return { status: 'pending', error: short(error), retryAt: now + backoffMs(attempts, random) }
}

/** The outcome of a send that threw `e`, for a row on its `attempts`-th attempt. */
export function outcomeOfError(e: unknown, attempts: number, maxAttempts: number, now: number, random: () => number = Math.random): Outcome {
  if (e instanceof WechatApiError) {
    const what = `${e.errcode} ${e.errmsg}`.trim()
    if (e.errcode === REFUSED_ERRCODE) return { status: 'skipped', error: short(`refused: ${what}`) }
    if (PERMANENT_ERRCODES.has(e.errcode)) return { status: 'failed', error: short(`wechat ${what}`) }
    if (ACCESS_TOKEN_ERRCODES.has(e.errcode)) return retryOrFail(`access token still rejected after a refresh: ${what}`, attempts, maxAttempts, now, random)
    return retryOrFail(`wechat ${what}`, attempts, maxAttempts, now, random)
  }
  if (e instanceof WechatUnavailableError) return retryOrFail(`unavailable: ${e.message}`, attempts, maxAttempts, now, random)
  return retryOrFail(`error: ${e instanceof Error ? e.message : String(e)}`, attempts, maxAttempts, now, random)
}
