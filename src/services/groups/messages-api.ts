/**
 * The group page's requests (the server's side of chat-types.ts). One place maps the server's rows to
 * ChatMessage, so the page does not change when the table does.
 */
import type { ChatMessage } from './chat-types'
import type { OutboxEntry } from './outbox'
import type { Cursor } from './timeline'

export interface ChatApi {
  /** The newest `limit` messages, oldest first. */
  latest(groupId: string, limit: number): Promise<ChatMessage[]>
  /** Up to `limit` messages before `before`, oldest first. */
  older(groupId: string, before: Cursor, limit: number): Promise<ChatMessage[]>
  /** Every message written or changed (withdrawn, checked) after revision `rev`. */
  changedSince(groupId: string, rev: number): Promise<ChatMessage[]>
  /** Records that I have seen the group up to `rev`. */
  markRead(groupId: string, rev: number): Promise<void>
  /** Stores the entry under its own id (a second call with the same id is the same message). */
  send(entry: OutboxEntry): Promise<ChatMessage>
  /** 撤回: answers the message as it is now. */
  withdraw(messageId: string): Promise<ChatMessage>
  /** Messages the content check hid (the group's butlers only), newest first. */
  flagged(groupId: string): Promise<ChatMessage[]>
}

function notYet(): never {
  throw new Error('messages API not wired yet')
}

export const chatApi: ChatApi = {
  latest: notYet,
  older: notYet,
  changedSince: notYet,
  markRead: notYet,
  send: notYet,
  withdraw: notYet,
  flagged: notYet,
}
