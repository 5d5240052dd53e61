/**
 * The group page's message list as pure functions, so the rules are tested without Taro or a server:
 *
 * - order: oldest first (newest at the bottom), by (created_at, id), the order the server pages by;
 * - merge: pages of older rows, polls of newer rows and the answer to a send all land in one list; a row
 *   seen again (its state changed: withdrawn, published after the content check) replaces the old copy,
 *   and nothing is ever shown twice;
 * - cursors: the oldest row for 加载更早的消息, the newest for "what is new since I last looked";
 * - grouping: a time line before a message that follows a pause, and a run of one sender's messages
 *   showing the sender's name only once.
 */
import dayjs from 'dayjs'

/** What the list needs of a message. */
export interface TimelineRow {
  readonly id: string
  readonly created_at: string
  readonly sender_id: string | null
  /** The server's place in the stream when it has one (a group's message sequence): it decides the order. */
  readonly seq?: number
}

/** A position in the stream: the (seq or created_at, id) of one row. */
export interface Cursor {
  readonly created_at: string
  readonly id: string
  readonly seq?: number
}

/**
 * Negative when `a` comes before `b` in the stream: by seq when both have one (a message that passed its
 * check late still sits where it was sent), else by time as instants, not text, then by id.
 */
export function compareRows(a: Cursor, b: Cursor): number {
  if (a.seq !== undefined && b.seq !== undefined && a.seq !== b.seq) return a.seq - b.seq
  const ta = Date.parse(a.created_at)
  const tb = Date.parse(b.created_at)
  if (ta !== tb) return ta - tb
  // Same millisecond: PostgreSQL keeps microseconds, so compare the text of the fraction, then the id.
  if (a.created_at !== b.created_at) return fractionOf(a.created_at) < fractionOf(b.created_at) ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The sub-second digits of an ISO timestamp, padded so they compare as text. */
function fractionOf(iso: string): string {
  const match = /\.(\d+)/.exec(iso)
  return (match?.[1] ?? '').padEnd(6, '0')
}

/**
 * One list from what is shown and what just arrived: sorted oldest first, one row per id, the arriving
 * copy winning (it is the newer state). Returns `current` itself when nothing changed, so React skips
 * the render.
 */
export function mergeRows<T extends TimelineRow>(current: readonly T[], arriving: readonly T[]): readonly T[] {
  if (arriving.length === 0) return current
  const byId = new Map<string, T>()
  for (const row of current) byId.set(row.id, row)
  let changed = false
  for (const row of arriving) {
    const old = byId.get(row.id)
    if (old === row) continue
    if (old && sameRow(old, row)) continue
    byId.set(row.id, row)
    changed = true
  }
  if (!changed) return current
  return [...byId.values()].sort(compareRows)
}

function sameRow(a: object, b: object): boolean {
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  return ka.every((key) => {
    const va = (a as Record<string, unknown>)[key]
    const vb = (b as Record<string, unknown>)[key]
    return va === vb || (typeof va === 'object' && va !== null && typeof vb === 'object' && vb !== null && JSON.stringify(va) === JSON.stringify(vb))
  })
}

/** The list without the given ids (a withdrawn message the server no longer returns, a discarded draft). */
export function withoutIds<T extends TimelineRow>(rows: readonly T[], ids: ReadonlySet<string>): readonly T[] {
  if (ids.size === 0 || !rows.some((row) => ids.has(row.id))) return rows
  return rows.filter((row) => !ids.has(row.id))
}

/** The newest row's position (for "new since"), or null for an empty list. */
export function newestCursor(rows: readonly TimelineRow[]): Cursor | null {
  const last = rows[rows.length - 1]
  return last ? { created_at: last.created_at, id: last.id, ...(last.seq === undefined ? {} : { seq: last.seq }) } : null
}

/** The oldest row's position (for "older than"), or null for an empty list. */
export function oldestCursor(rows: readonly TimelineRow[]): Cursor | null {
  const first = rows[0]
  return first ? { created_at: first.created_at, id: first.id, ...(first.seq === undefined ? {} : { seq: first.seq }) } : null
}

/** A pause longer than this between two messages puts a time line before the second. */
export const TIME_GAP_MS = 5 * 60_000

export type TimelineItem<T extends TimelineRow> =
  | { readonly type: 'time'; readonly key: string; readonly label: string }
  | {
      readonly type: 'message'
      readonly key: string
      readonly row: T
      /** First of a run of one sender's messages with no time line between: the name shows here only. */
      readonly firstOfRun: boolean
      /** Sent by the person looking (shown on the right). */
      readonly mine: boolean
    }

/** A time line's text: 14:05 today, 昨天 14:05, 11月20日 14:05 this year, else 2025年11月20日 14:05. */
export function timeLabel(iso: string, now: Date = new Date()): string {
  const at = dayjs(iso)
  const today = dayjs(now).startOf('day')
  if (!at.isBefore(today)) return at.format('HH:mm')
  if (!at.isBefore(today.subtract(1, 'day'))) return at.format('昨天 HH:mm')
  return at.format(at.year() === now.getFullYear() ? 'M月D日 HH:mm' : 'YYYY年M月D日 HH:mm')
}

/** A time ahead (a question's due time): 今天 14:05, 明天 09:30, else 11月20日 14:05 (with the year when not this year). */
export function dueLabel(iso: string, now: Date = new Date()): string {
  const at = dayjs(iso)
  const today = dayjs(now).startOf('day')
  if (at.isBefore(today)) return timeLabel(iso, now)
  if (at.isBefore(today.add(1, 'day'))) return at.format('今天 HH:mm')
  if (at.isBefore(today.add(2, 'day'))) return at.format('明天 HH:mm')
  return at.format(at.year() === now.getFullYear() ? 'M月D日 HH:mm' : 'YYYY年M月D日 HH:mm')
}

/** The rows as the page draws them: time lines and messages, oldest first. */
export function groupRows<T extends TimelineRow>(rows: readonly T[], me: string | null, now: Date = new Date()): TimelineItem<T>[] {
  const items: TimelineItem<T>[] = []
  let previous: T | null = null
  for (const row of rows) {
    const pause = previous === null || Date.parse(row.created_at) - Date.parse(previous.created_at) > TIME_GAP_MS
    if (pause) items.push({ type: 'time', key: `time-${row.id}`, label: timeLabel(row.created_at, now) })
    items.push({
      type: 'message',
      key: row.id,
      row,
      firstOfRun: pause || previous?.sender_id !== row.sender_id,
      mine: me !== null && row.sender_id === me,
    })
    previous = row
  }
  return items
}
