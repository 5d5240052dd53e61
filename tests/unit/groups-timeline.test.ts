/** The group page's list rules (src/services/groups/timeline.ts): order, merge of pages and polls, cursors, grouping. */
import { describe, expect, it } from 'vitest'
import { compareRows, dueLabel, groupRows, mergeRows, newestCursor, oldestCursor, timeLabel, withoutIds, type TimelineRow } from '../../src/services/groups/timeline'

interface Row extends TimelineRow {
  body: string
  withdrawn_at?: string | null
}

const row = (id: string, created_at: string, sender_id = 'a', body = id): Row => ({ id, created_at, sender_id, body })

describe('ordering', () => {
  it('puts rows oldest first by time, then by id when the time is the same', () => {
    const rows = [row('b', '2026-12-01T10:00:00.000001+00:00'), row('a', '2026-12-01T10:00:00.000001+00:00'), row('c', '2026-12-01T09:59:59+00:00')]
    expect([...rows].sort(compareRows).map((r) => r.id)).toEqual(['c', 'a', 'b'])
  })

  it('compares instants, not text, across time-zone offsets and microseconds', () => {
    const utc = row('x', '2026-12-01T02:00:00.000500+00:00')
    const beijing = row('y', '2026-12-01T10:00:00.000100+08:00')
    expect(compareRows(beijing, utc)).toBeLessThan(0)
    expect(compareRows(utc, beijing)).toBeGreaterThan(0)
  })
})

describe('merging pages and polls', () => {
  const page = [row('1', '2026-12-01T10:00:00Z'), row('2', '2026-12-01T10:01:00Z')]

  it('adds newer rows at the bottom and older rows at the top, each once', () => {
    const newer = [row('2', '2026-12-01T10:01:00Z'), row('3', '2026-12-01T10:02:00Z')]
    const older = [row('0', '2026-12-01T09:00:00Z'), row('1', '2026-12-01T10:00:00Z')]
    const merged = mergeRows(mergeRows(page, newer), older)
    expect(merged.map((r) => r.id)).toEqual(['0', '1', '2', '3'])
  })

  it('replaces a row seen again with its new state (withdrawn), keeping its place', () => {
    const withdrawn = { ...page[0], body: '', withdrawn_at: '2026-12-01T10:00:30Z' }
    const merged = mergeRows(page, [withdrawn])
    expect(merged).toHaveLength(2)
    expect(merged[0]).toBe(withdrawn)
  })

  it('answers the same array when nothing new arrived, so the page does not render again', () => {
    expect(mergeRows(page, [])).toBe(page)
    expect(mergeRows(page, [{ ...page[1] }])).toBe(page)
  })

  it('drops rows by id, and answers the same array when none of them is there', () => {
    expect(withoutIds(page, new Set(['1'])).map((r) => r.id)).toEqual(['2'])
    expect(withoutIds(page, new Set(['9']))).toBe(page)
  })

  it('gives the cursors of the oldest and newest rows, and none for an empty list', () => {
    expect(oldestCursor(page)).toEqual({ id: '1', created_at: '2026-12-01T10:00:00Z' })
    expect(newestCursor(page)).toEqual({ id: '2', created_at: '2026-12-01T10:01:00Z' })
    expect(newestCursor([])).toBeNull()
    expect(oldestCursor([])).toBeNull()
  })
})

describe('grouping for display', () => {
  const now = new Date(2026, 11, 1, 12)

  it('puts a time line first and after every pause over five minutes, and names the sender once per run', () => {
    const rows = [
      row('1', '2026-12-01T10:00:00', 'a'),
      row('2', '2026-12-01T10:01:00', 'a'),
      row('3', '2026-12-01T10:02:00', 'b'),
      row('4', '2026-12-01T10:20:00', 'b'),
    ]
    const items = groupRows(rows, 'b', now)
    expect(items.map((i) => (i.type === 'time' ? `time ${i.label}` : `${i.row.id}${i.firstOfRun ? '*' : ''}${i.mine ? ' mine' : ''}`))).toEqual([
      'time 10:00',
      '1*',
      '2',
      '3* mine',
      'time 10:20',
      '4* mine',
    ])
  })

  it('marks nothing as mine when nobody is signed in', () => {
    const items = groupRows([row('1', '2026-12-01T10:00:00', 'a')], null, now)
    expect(items.filter((i) => i.type === 'message' && i.mine)).toHaveLength(0)
  })

  it('labels times as today, yesterday, this year and earlier years', () => {
    expect(timeLabel('2026-12-01T08:05:00', now)).toBe('08:05')
    expect(timeLabel('2026-11-30T23:59:00', now)).toBe('昨天 23:59')
    expect(timeLabel('2026-11-20T14:05:00', now)).toBe('11月20日 14:05')
    expect(timeLabel('2025-11-20T14:05:00', now)).toBe('2025年11月20日 14:05')
  })

  it('labels due times ahead as today, tomorrow or a date', () => {
    expect(dueLabel('2026-12-01T16:00:00', now)).toBe('今天 16:00')
    expect(dueLabel('2026-12-02T09:30:00', now)).toBe('明天 09:30')
    expect(dueLabel('2026-12-07T11:00:00', now)).toBe('12月7日 11:00')
    expect(dueLabel('2027-01-04T11:00:00', now)).toBe('2027年1月4日 11:00')
  })
})
