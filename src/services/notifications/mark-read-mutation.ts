/**
 * Marks messages read through RPCs (wx.request cannot send PATCH): the listed ids, or with no ids all of
 * the caller's unread messages (a separate function, so a call without arguments never means "all" by
 * accident). Returns how many changed.
 */
import { handleError } from '../errors'
import { getQueryData, setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { showUnreadBadge } from './badge'
import { notificationKeys } from './keys'
import type { NotificationList } from './notifications-query'

export async function markNotificationsRead(ids?: readonly number[], client: AppSupabaseClient = getSupabase()): Promise<number> {
  const { data, error, status } = ids
    ? await client.rpc('mark_notifications_read', { ids: [...ids] })
    : await client.rpc('mark_all_notifications_read')
  if (error) handleError(error, status)
  return data ?? 0
}

/** The list with the given rows marked read now (shown at once, before the next fetch). */
export function markedRead(list: NotificationList, ids: readonly number[] | null, now = new Date().toISOString()): NotificationList {
  return list.map((item) => (item.read_at === null && (ids === null || ids.includes(item.id)) ? { ...item, read_at: now } : item))
}

/**
 * 消息中心's 已读 (one message, or all with `ids: null`): the list and the unread count change at once,
 * the tab badge follows, and both are fetched again. A failure is shown as a toast.
 */
export function useMarkReadMutation() {
  return useAppMutation<{ ids: readonly number[] | null }, number>({
    mutate: ({ ids }) => markNotificationsRead(ids ?? undefined),
    onSuccess: (_, { ids }) => {
      const next = markedRead(getQueryData<NotificationList>(notificationKeys.list()) ?? [], ids)
      setQueryData(notificationKeys.list(), next)
      const left = next.filter((item) => item.read_at === null).length
      setQueryData(notificationKeys.unread(), left)
      void showUnreadBadge(left)
    },
    invalidates: () => [notificationKeys.all],
  })
}
