/**
 * The group page's requests (the server's side of chat-types.ts), all through RPCs (the mini-program's
 * wx.request cannot PATCH): `group_messages` for the newest page, older pages (before a seq) and what
 * changed since a rev; `send_group_message` with the client's id (sending again is the same message);
 * `withdraw_group_message`; `mark_group_read`; `flagged_group_messages` for the group's butlers. One place
 * maps the server's rows to ChatMessage, so the page does not change when the table does.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import type { Database } from '../supabase/database.types'
import type { ChatMessage, MessageKind, MessageReview } from './chat-types'
import { CHAT_BUCKETS, uploadChatFile } from './media'
import type { OutboxEntry } from './outbox'
import type { Cursor } from './timeline'

export interface ChatApi {
  /** The newest `limit` messages, oldest first. */
  latest(groupId: string, limit: number): Promise<ChatMessage[]>
  /** Up to `limit` messages before `before`, oldest first. */
  older(groupId: string, before: Cursor, limit: number): Promise<ChatMessage[]>
  /** Every message written or changed (withdrawn, checked) after revision `rev`, oldest change first. */
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

type MessageRow = Database['public']['Tables']['group_messages']['Row']
type Row = MessageRow & { sender?: { display_name: string } | null }

const BUCKETS: Record<'image' | 'voice', string> = CHAT_BUCKETS

/** The sender's name comes embedded (`sender:profiles!sender_id(display_name)`); names are readable by members. */
const WITH_SENDER = '*, sender:profiles!sender_id(display_name)'

/** At most this many rows per poll request; a full answer means more are waiting. */
const POLL_BATCH = 100
const MAX_POLL_REQUESTS = 5

export function toChatMessage(row: Row): ChatMessage {
  const kind = row.kind as MessageKind
  return {
    id: row.id,
    group_id: row.group_id,
    sender_id: row.sender_id,
    sender_name: row.sender?.display_name ?? '',
    kind,
    body: row.withdrawn_at ? null : row.body,
    media: row.media_path && (kind === 'image' || kind === 'voice') ? { bucket: BUCKETS[kind], path: row.media_path } : null,
    duration_ms: row.duration_seconds === null ? null : row.duration_seconds * 1000,
    created_at: row.created_at,
    seq: Number(row.seq),
    rev: Number(row.rev),
    withdrawn: row.withdrawn_at !== null,
    review: row.status as MessageReview,
    mentions: row.mentions ?? [],
  }
}

async function page(client: AppSupabaseClient, args: Database['public']['Functions']['group_messages']['Args']): Promise<ChatMessage[]> {
  const { data, error, status } = await client.rpc('group_messages', args).select(WITH_SENDER)
  if (error) handleError(error, status)
  return (data as unknown as Row[]).map(toChatMessage)
}

export function createChatApi(getClient: () => AppSupabaseClient = getSupabase): ChatApi {
  return {
    async latest(groupId, limit) {
      return (await page(getClient(), { group_id: groupId, max_rows: limit })).reverse()
    },
    async older(groupId, before, limit) {
      if (before.seq === undefined) return []
      return (await page(getClient(), { group_id: groupId, before: before.seq, max_rows: limit })).reverse()
    },
    async changedSince(groupId, rev) {
      const all: ChatMessage[] = []
      let since = rev
      for (let i = 0; i < MAX_POLL_REQUESTS; i++) {
        const rows = await page(getClient(), { group_id: groupId, since, max_rows: POLL_BATCH })
        all.push(...rows)
        if (rows.length < POLL_BATCH) break
        since = rows[rows.length - 1].rev
      }
      return all
    },
    async markRead(groupId, rev) {
      const { error, status } = await getClient().rpc('mark_group_read', { group_id: groupId, up_to_rev: rev })
      if (error) handleError(error, status)
    },
    async send(entry) {
      let mediaPath: string | undefined
      if (entry.kind !== 'text') {
        if (!entry.filePath || !entry.contentType) throw new Error('请重新选择文件')
        // The same temp file always lands on the same object, so a retry uploads over it, not beside it.
        const uploaded = await uploadChatFile({
          kind: entry.kind,
          groupId: entry.groupId,
          userId: entry.sender_id,
          filePath: entry.filePath,
          contentType: entry.contentType,
          size: entry.size,
        })
        mediaPath = uploaded.path
      }
      const { data, error, status } = await getClient()
        .rpc('send_group_message', {
          id: entry.id,
          group_id: entry.groupId,
          kind: entry.kind,
          body: entry.kind === 'text' ? (entry.body ?? '') : '',
          media_path: mediaPath,
          duration_seconds: entry.kind === 'voice' ? Math.max(1, Math.min(60, Math.round((entry.durationMs ?? 0) / 1000))) : undefined,
          mentions: [...(entry.mentions ?? [])],
        })
        .select(WITH_SENDER)
        .single()
      if (error) handleError(error, status)
      return toChatMessage(data as unknown as Row)
    },
    async withdraw(messageId) {
      const { data, error, status } = await getClient().rpc('withdraw_group_message', { id: messageId }).select(WITH_SENDER).single()
      if (error) handleError(error, status)
      return toChatMessage(data as unknown as Row)
    },
    async flagged(groupId) {
      const { data, error, status } = await getClient().rpc('flagged_group_messages', { group_id: groupId })
      if (error) handleError(error, status)
      return (data ?? []).map((row) =>
        toChatMessage({
          ...row,
          group_id: groupId,
          rev: 0,
          mentions: [],
          status: 'flagged',
          payload_hash: '',
          published_at: null,
          sender: { display_name: row.sender_name },
        } as Row),
      )
    },
  }
}

export const chatApi: ChatApi = createChatApi()
