// What becomes of a message's content check after WeChat's answer (or its silence). No Deno or npm
// imports, so Node tests import this file as it is.
//
//   answer                                          outcome     effect (public.finish_content_checks)
//   msgSecCheck result.suggest pass                 pass        published
//   msgSecCheck result.suggest risky / review,      risky /     flagged: hidden from the group, listed for its
//   v1 errcode 87014                                review      butlers (they may release a false alarm)
//   mediaCheckAsync trace_id                        submitted   waits for the wxa_media_check event until
//                                                               MEDIA_VERDICT_WAIT_MS, then is submitted again
//   40003 bad openid, 47001 malformed, no openid    review      WeChat will not judge this message: the
//                                                               butlers decide (never published unchecked)
//   -1 busy, 45009 / 45011 limits, access token,    retry       after a growing delay (30 s … 30 min); after
//   any other errcode, HTTP 5xx, timeout, network               MAX attempts the butlers decide (review)
//
// A check service that is down only delays publishing: the row stays queued, nothing is lost.
import { ACCESS_TOKEN_ERRCODES, WechatApiError, WechatUnavailableError } from '../_shared/wechat.ts'

export const RETRY_BASE_MS = 30 * 1000
export const RETRY_CAP_MS = 30 * 60 * 1000
/** About seven hours of retries before the butlers are asked to decide. */
export const DEFAULT_MAX_ATTEMPTS = 20
/** How long a submitted image or voice clip waits for its event before it is submitted again. */
export const MEDIA_VERDICT_WAIT_MS = 30 * 60 * 1000

/** errcodes after which asking again cannot help. */
export const UNJUDGEABLE_ERRCODES = new Set([40003, 47001, 44004, 61010])

export type CheckOutcome =
  | { outcome: 'pass' | 'risky' | 'review'; label: number | null; error: string | null }
  | { outcome: 'submitted'; traceId: string; retryAt: number }
  | { outcome: 'retry'; error: string; retryAt: number }

/** RETRY_BASE_MS × 2^(attempt − 1), capped at RETRY_CAP_MS, spread by ±20 %. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 20)))
  return Math.round(exp * (0.8 + 0.4 * random()))
}

const short = (s: string) => (s.length > 300 ? s.slice(0, 299) + '…' : s)

export function retryOrReview(error: string, attempts: number, maxAttempts: number, now: number, random: () => number = Math.random): CheckOutcome {
  if (attempts >= maxAttempts) return { outcome: 'review', label: null, error: short(`no verdict after ${attempts} attempts: ${error}`) }
  return { outcome: 'retry', error: short(error), retryAt: now + backoffMs(attempts, random) }
}

/** The outcome of a check that threw `e`, on its `attempts`-th attempt. */
export function outcomeOfError(e: unknown, attempts: number, maxAttempts: number, now: number, random: () => number = Math.random): CheckOutcome {
  if (e instanceof WechatApiError) {
    const what = `${e.api} ${e.errcode} ${e.errmsg}`.trim()
    if (UNJUDGEABLE_ERRCODES.has(e.errcode)) return { outcome: 'review', label: null, error: short(`wechat will not judge it: ${what}`) }
    if (ACCESS_TOKEN_ERRCODES.has(e.errcode)) return retryOrReview(`access token still rejected after a refresh: ${what}`, attempts, maxAttempts, now, random)
    return retryOrReview(`wechat ${what}`, attempts, maxAttempts, now, random)
  }
  if (e instanceof WechatUnavailableError) return retryOrReview(`unavailable: ${e.message}`, attempts, maxAttempts, now, random)
  return retryOrReview(`error: ${e instanceof Error ? e.message : String(e)}`, attempts, maxAttempts, now, random)
}
