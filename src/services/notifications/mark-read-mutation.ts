/**
 * Marks messages read through RPCs (wx.request cannot send PATCH): the listed ids, or with no ids all of
 * the caller's unread messages (a separate function, so a call without arguments never means "all" by
 * accident). Returns how many changed.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function markNotificationsRead(ids?: readonly number[], client: AppSupabaseClient = getSupabase()): Promise<number> {
  const { data, error, status } = ids
    ? await client.rpc('mark_notifications_read', { ids: [...ids] })
    : await client.rpc('mark_all_notifications_read')
  if (error) handleError(error, status)
  return data ?? 0
}
