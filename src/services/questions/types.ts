/** Words for the question desk (问答) the pages share. */

/** 待解答 → 已解答 → 已采纳 / 已关闭 (public.question_status). */
export type QuestionStatus = 'open' | 'answered' | 'accepted' | 'closed'

export const QUESTION_STATUS_LABELS: Record<QuestionStatus, string> = {
  open: '待解答',
  answered: '已解答',
  accepted: '已采纳',
  closed: '已关闭',
}

export type QueueFilter = 'mine' | 'overdue' | 'unassigned'

export const QUEUE_FILTER_LABELS: Record<QueueFilter, string> = {
  mine: '我的',
  overdue: '已超时',
  unassigned: '未分配',
}

/** A question's title is its first line, at most this long (the server says the same). */
export const QUESTION_TITLE_MAX = 80
export const QUESTION_BODY_MAX = 2000

/** Splits what the person typed into the question's title (first line, ≤ 80) and the rest as detail. */
export function splitQuestion(text: string): { title: string; body: string } {
  const trimmed = text.trim()
  const newline = trimmed.indexOf('\n')
  const first = (newline === -1 ? trimmed : trimmed.slice(0, newline)).trim()
  const rest = newline === -1 ? '' : trimmed.slice(newline + 1).trim()
  if (first.length <= QUESTION_TITLE_MAX) return { title: first, body: rest }
  return { title: `${first.slice(0, QUESTION_TITLE_MAX - 1)}…`, body: trimmed }
}

/** What the queue's tabs need of a queue row (butler_queue()). */
export interface QueueRow {
  readonly is_mine: boolean
  readonly is_overdue: boolean
  readonly owner_id: string | null
}

/** The queue under one of its tabs: 我的 (assigned to me), 已超时 (anyone's, overdue), 未分配. */
export function filterQueue<T extends QueueRow>(items: readonly T[], filter: QueueFilter): T[] {
  if (filter === 'mine') return items.filter((item) => item.is_mine)
  if (filter === 'overdue') return items.filter((item) => item.is_overdue)
  return items.filter((item) => item.owner_id === null)
}
