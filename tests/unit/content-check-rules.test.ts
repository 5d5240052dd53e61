/**
 * What becomes of a message's content check after WeChat's answer (supabase/functions/content-check/
 * outcome.ts): judged, put back for later with a growing delay, or handed to the butlers, and never
 * published unchecked.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_MAX_ATTEMPTS, RETRY_CAP_MS, backoffMs, outcomeOfError, retryOrReview } from '../../supabase/functions/content-check/outcome.ts'
import { WechatApiError, WechatUnavailableError } from '../../supabase/functions/_shared/wechat.ts'

const now = 1_000_000
const mid = () => 0.5

describe('backoff', () => {
  it('starts at about 30 s, doubles, and stops growing at 30 minutes', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, mid))).toEqual([30_000, 60_000, 120_000, 240_000])
    expect(backoffMs(50, mid)).toBe(RETRY_CAP_MS)
    expect(backoffMs(1, () => 0)).toBe(24_000)
    expect(backoffMs(1, () => 0.999999)).toBeLessThanOrEqual(36_000)
  })
})

describe('outcomeOfError', () => {
  it('WeChat busy, over its limits, unreachable or with a stale token: retry later', () => {
    for (const e of [
      new WechatApiError('msgSecCheck', -1, 'system error'),
      new WechatApiError('msgSecCheck', 45009, 'reach max api daily quota limit'),
      new WechatApiError('msgSecCheck', 40001, 'invalid credential'),
      new WechatUnavailableError('msgSecCheck', 'HTTP 500'),
      new Error('socket hang up'),
    ]) {
      const o = outcomeOfError(e, 1, DEFAULT_MAX_ATTEMPTS, now, mid)
      expect(o).toMatchObject({ outcome: 'retry', retryAt: now + 30_000 })
    }
  })

  it('WeChat refusing to judge it (bad openid, malformed, a user it no longer knows): the butlers decide', () => {
    for (const code of [40003, 47001, 61010]) {
      expect(outcomeOfError(new WechatApiError('msgSecCheck', code, 'x'), 1, DEFAULT_MAX_ATTEMPTS, now, mid)).toMatchObject({ outcome: 'review', label: null })
    }
  })

  it('after the last attempt a retry becomes review, never a publication', () => {
    expect(retryOrReview('unavailable', DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, now, mid)).toMatchObject({
      outcome: 'review',
      error: `no verdict after ${DEFAULT_MAX_ATTEMPTS} attempts: unavailable`,
    })
    const long = 'x'.repeat(1000)
    const o = retryOrReview(long, 1, DEFAULT_MAX_ATTEMPTS, now, mid)
    expect(o.outcome === 'retry' && o.error.length).toBe(300)
  })
})
