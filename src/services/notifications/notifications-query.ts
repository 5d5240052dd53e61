/**
 * The signed-in person's messages for 消息中心: unread first, then newest first. Row-level security shows
 * people only their own rows.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export const NOTIFICATIONS_LIMIT = 50

export async function getNotifications(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('notifications')
    .select('id, kind, title, body, link, created_at, read_at')
    .order('read_at', { ascending: false, nullsFirst: true })
    .order('created_at', { ascending: false })
    .order('id', { ascending: false })
    .limit(NOTIFICATIONS_LIMIT)
  if (error) handleError(error, status)
  // Unread first regardless of when the read ones were read: read_at order only groups null first.
  return [...data].sort((a, b) => {
    const unread = Number(b.read_at === null) - Number(a.read_at === null)
    return unread !== 0 ? unread : b.created_at.localeCompare(a.created_at) || b.id - a.id
  })
}

export type NotificationList = Awaited<ReturnType<typeof getNotifications>>
export type NotificationItem = NotificationList[number]
