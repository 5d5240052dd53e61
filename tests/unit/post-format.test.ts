import { describe, expect, it } from 'vitest'
import { formatEffective, formatInvestment, formatYuan } from '../../src/services/posts/format'
import { postStage } from '../../src/services/posts/post-status'

describe('how a post reads', () => {
  it('writes money in 元 below ten thousand and in 万元 above', () => {
    expect(formatYuan(8000)).toBe('8000元')
    expect(formatYuan(30000)).toBe('3万元')
    expect(formatYuan(25000)).toBe('2.5万元')
  })

  it('writes an investment range, an open end, or nothing', () => {
    expect(formatInvestment(30000, 50000)).toBe('3万–5万元')
    expect(formatInvestment(30000, 30000)).toBe('3万元')
    expect(formatInvestment(30000, null)).toBe('3万元起')
    expect(formatInvestment(null, 5000)).toBe('5000元以内')
    expect(formatInvestment(null, undefined)).toBeNull()
  })

  it('writes when a policy is in force', () => {
    expect(formatEffective('2026-01-01', '2026-12-31')).toBe('2026年1月1日至2026年12月31日')
    expect(formatEffective('2026-01-01', null)).toBe('2026年1月1日起')
    expect(formatEffective(null, '2026-12-31')).toBe('至2026年12月31日')
    expect(formatEffective(null, null)).toBeNull()
  })
})

describe('where a post stands', () => {
  const now = Date.parse('2026-12-01T10:00:00Z')
  it('tells drafts, scheduled, published and archived posts apart', () => {
    expect(postStage({ status: 'draft', published_at: null, archived_at: null }, now)).toBe('draft')
    expect(postStage({ status: 'published', published_at: '2026-12-01T10:05:00Z', archived_at: null }, now)).toBe('scheduled')
    expect(postStage({ status: 'published', published_at: '2026-12-01T09:00:00Z', archived_at: null }, now)).toBe('published')
    expect(postStage({ status: 'published', published_at: '2026-12-01T09:00:00Z', archived_at: '2026-12-01T09:30:00Z' }, now)).toBe('archived')
  })
})
