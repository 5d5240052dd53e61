/** src/utils/date.ts: the dates people read (in the test machine's local time, as on a phone). */
import { describe, expect, it } from 'vitest'
import { formatDate, formatPostDate, toDateValue } from '../../src/utils/date'

describe('dates as people write them', () => {
  it('a post date with its weekday', () => {
    expect(formatPostDate('2025-11-20')).toBe('2025年11月20日 周四')
    expect(formatPostDate('2026-03-01T09:30:00')).toBe('2026年3月1日 周日')
    const instant = new Date(2026, 0, 5, 12, 0, 0)
    expect(formatPostDate(instant.toISOString())).toBe('2026年1月5日 周一')
  })

  it('a calendar date is that day wherever the phone is (not UTC midnight)', () => {
    expect(formatDate('2025-06-30')).toBe('2025年6月30日')
    expect(formatDate('1990-01-01')).toBe('1990年1月1日')
  })

  it('a Date for the database, in local time', () => {
    expect(toDateValue(new Date(2026, 11, 1, 23, 59))).toBe('2026-12-01')
    expect(toDateValue(new Date(2026, 0, 9))).toBe('2026-01-09')
  })
})
