/**
 * A chat message as the group page draws it, whatever the server's row looks like (messages-api.ts maps
 * one to the other), and the page's state: the rows shown, whether older ones exist, and the newest
 * revision seen (the cursor of "what changed since I last looked").
 */
import type { TimelineRow } from './timeline'

export type MessageKind = 'text' | 'image' | 'voice'

/**
 * Where the content check stands: pending (the author sees it at once, others once it passed),
 * published, or flagged (hidden from others; listed for the group's butlers).
 */
export type MessageReview = 'pending' | 'published' | 'flagged'

export interface ChatMessage extends TimelineRow {
  readonly id: string
  readonly group_id: string
  readonly sender_id: string | null
  readonly sender_name: string
  readonly kind: MessageKind
  readonly body: string | null
  /** The stored image or voice file (bucket and object name), null for text. */
  readonly media: { readonly bucket: string; readonly path: string } | null
  readonly duration_ms: number | null
  readonly created_at: string
  /** The message's place in the group's stream, fixed when sent: the list's order and the older-page cursor. */
  readonly seq: number
  /** Grows with every insert and change (withdrawn, checked): the poll asks for rows above the last seen. */
  readonly rev: number
  readonly withdrawn: boolean
  readonly review: MessageReview
  readonly mentions: readonly string[]
}

export interface ChatState {
  readonly rows: readonly ChatMessage[]
  /** Whether the server has rows older than the first shown. */
  readonly hasOlder: boolean
  /** The highest rev among the rows fetched (0 before any). */
  readonly rev: number
}

export const EMPTY_CHAT: ChatState = { rows: [], hasOlder: false, rev: 0 }

/** 撤回 is possible for this long after sending, as in WeChat. */
export const WITHDRAW_WINDOW_MS = 2 * 60_000

/** Whether `me` may still withdraw `message` at `now`. */
export function canWithdraw(message: Pick<ChatMessage, 'sender_id' | 'created_at' | 'withdrawn'>, me: string | null, now: Date = new Date()): boolean {
  return (
    me !== null &&
    message.sender_id === me &&
    !message.withdrawn &&
    now.getTime() - Date.parse(message.created_at) < WITHDRAW_WINDOW_MS
  )
}

/** The highest rev of the rows, or `floor` when none is higher. */
export function maxRev(rows: readonly Pick<ChatMessage, 'rev'>[], floor = 0): number {
  return rows.reduce((most, row) => (row.rev > most ? row.rev : most), floor)
}
