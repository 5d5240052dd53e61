/**
 * How the group page's state moves (pure): the first page, a poll of what changed since the last rev
 * seen, a page of older rows, and a message the server just accepted. Built on timeline.ts's merge, so
 * a row seen twice is shown once, in its newest state.
 */
import { maxRev, type ChatMessage, type ChatState } from './chat-types'
import { compareRows, mergeRows } from './timeline'

/** The newest page, oldest first; `pageSize` rows back means there may be older ones. */
export function firstPage(rows: readonly ChatMessage[], pageSize: number): ChatState {
  const merged = mergeRows<ChatMessage>([], rows)
  return { rows: merged, hasOlder: rows.length >= pageSize, rev: maxRev(rows) }
}

/** What changed since `state.rev`: new rows at the bottom, changed ones replaced where they are. */
export function applyChanges(state: ChatState, changed: readonly ChatMessage[]): ChatState {
  if (changed.length === 0) return state
  // A changed row older than the oldest shown is not added (it would open a gap in the list).
  const oldest = state.rows[0]
  const relevant = state.hasOlder && oldest ? changed.filter((row) => compareRows(row, oldest) >= 0) : changed
  const rows = mergeRows(state.rows, relevant)
  const rev = maxRev(changed, state.rev)
  return rows === state.rows && rev === state.rev ? state : { ...state, rows, rev }
}

/** A page of older rows at the top. */
export function applyOlder(state: ChatState, older: readonly ChatMessage[], pageSize: number): ChatState {
  return { rows: mergeRows(state.rows, older), hasOlder: older.length >= pageSize, rev: maxRev(older, state.rev) }
}

/** The row the server stored for a send (or a withdrawal): shown at once, the rev cursor untouched. */
export function applySent(state: ChatState, row: ChatMessage): ChatState {
  // The rev is not advanced: rows others wrote between the last poll and this one must still come.
  return { ...state, rows: mergeRows(state.rows, [row]) }
}
