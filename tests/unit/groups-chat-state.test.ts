/** The group page's state moves (src/services/groups/chat-state.ts) and the 撤回 window (chat-types.ts). */
import { describe, expect, it } from 'vitest'
import { applyChanges, applyOlder, applySent, firstPage } from '../../src/services/groups/chat-state'
import { canWithdraw, type ChatMessage } from '../../src/services/groups/chat-types'

let rev = 0
let seq = 0
function message(id: string, minute: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    group_id: 'g',
    sender_id: 'a',
    sender_name: '刘建国',
    kind: 'text',
    body: id,
    media: null,
    duration_ms: null,
    created_at: `2026-12-01T10:${String(minute).padStart(2, '0')}:00Z`,
    seq: minute * 10 + ++seq % 10,
    rev: ++rev,
    withdrawn: false,
    review: 'published',
    mentions: [],
    ...extra,
  }
}

describe('the group page state', () => {
  it('a full first page means there may be older messages; a short one means there are none', () => {
    const rows = [message('2', 2), message('1', 1)]
    expect(firstPage(rows, 2)).toMatchObject({ hasOlder: true, rev: Math.max(...rows.map((r) => r.rev)) })
    expect(firstPage(rows, 30).hasOlder).toBe(false)
    expect(firstPage(rows, 30).rows.map((r) => r.id)).toEqual(['1', '2'])
  })

  it('a poll adds new messages at the bottom, replaces changed ones in place and moves the rev cursor', () => {
    const state = firstPage([message('1', 1), message('2', 2)], 30)
    const withdrawn = { ...state.rows[0], withdrawn: true, body: null, rev: ++rev }
    const next = applyChanges(state, [withdrawn, message('3', 3)])
    expect(next.rows.map((r) => `${r.id}${r.withdrawn ? ' withdrawn' : ''}`)).toEqual(['1 withdrawn', '2', '3'])
    expect(next.rev).toBe(Math.max(withdrawn.rev, next.rows[2].rev))
    expect(applyChanges(next, [])).toBe(next)
  })

  it('a poll does not pull a changed message older than the loaded page into the list', () => {
    const state = firstPage([message('5', 5), message('6', 6)], 2)
    const oldChanged = message('1', 1, { withdrawn: true })
    const next = applyChanges(state, [oldChanged])
    expect(next.rows.map((r) => r.id)).toEqual(['5', '6'])
    expect(next.rev).toBe(oldChanged.rev)
  })

  it('older pages go on top, and a short page says there is nothing older', () => {
    const state = firstPage([message('5', 5), message('6', 6)], 2)
    const next = applyOlder(state, [message('3', 3), message('4', 4)], 2)
    expect(next.rows.map((r) => r.id)).toEqual(['3', '4', '5', '6'])
    expect(next.hasOlder).toBe(true)
    expect(applyOlder(next, [message('2', 2)], 2).hasOlder).toBe(false)
  })

  it('a sent message shows at once without moving the rev cursor past messages not yet fetched', () => {
    const state = firstPage([message('1', 1)], 30)
    const sent = message('9', 9)
    const next = applySent(state, sent)
    expect(next.rows.map((r) => r.id)).toEqual(['1', '9'])
    expect(next.rev).toBe(state.rev)
  })
})

describe('撤回', () => {
  const now = new Date('2026-12-01T10:03:00Z')
  it('is offered to the sender within two minutes only', () => {
    expect(canWithdraw(message('x', 2), 'a', now)).toBe(true)
    expect(canWithdraw(message('x', 1), 'a', now)).toBe(false)
    expect(canWithdraw(message('x', 2), 'b', now)).toBe(false)
    expect(canWithdraw(message('x', 2), null, now)).toBe(false)
    expect(canWithdraw(message('x', 2, { withdrawn: true }), 'a', now)).toBe(false)
  })
})
