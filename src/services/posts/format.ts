/**
 * How a post's facts read on its page: money in 元 and 万元, date ranges, the region. Pure; tested in
 * tests/unit/post-format.test.ts.
 */
import { formatDate } from '../../utils/date'

/** 8000 → 8000元, 30000 → 3万元, 25000 → 2.5万元. */
export function formatYuan(amount: number): string {
  if (amount >= 10000) {
    const wan = Math.round((amount / 10000) * 100) / 100
    return `${wan}万元`
  }
  return `${amount}元`
}

/** The investment a project needs: 3万元–5万元, 3万元起, 5万元以内; null when unknown. */
export function formatInvestment(min: number | null | undefined, max: number | null | undefined): string | null {
  const hasMin = typeof min === 'number'
  const hasMax = typeof max === 'number'
  if (hasMin && hasMax) return min === max ? formatYuan(min) : `${formatYuan(min).replace(/元$/, '')}–${formatYuan(max)}`
  if (hasMin) return `${formatYuan(min)}起`
  if (hasMax) return `${formatYuan(max)}以内`
  return null
}

/** When a policy is in force: 2026年1月1日至2026年12月31日, 2026年1月1日起, 至2026年12月31日; null when unknown. */
export function formatEffective(from: string | null | undefined, to: string | null | undefined): string | null {
  if (from && to) return `${formatDate(from)}至${formatDate(to)}`
  if (from) return `${formatDate(from)}起`
  if (to) return `至${formatDate(to)}`
  return null
}

/** Who a post is for, as a reader understands it. */
export function formatRegion(region: string | null | undefined): string {
  return !region || region === '全市' ? '全市' : region
}
