/**
 * Marks messages read through the mark_notifications_read RPC (wx.request cannot send PATCH). Pass ids
 * for some, nothing for all of the caller's unread messages. Returns how many changed.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function markNotificationsRead(ids?: readonly number[], client: AppSupabaseClient = getSupabase()): Promise<number> {
  const { data, error, status } = await client.rpc('mark_notifications_read', ids ? { ids: [...ids] } : {})
  if (error) handleError(error, status)
  return data ?? 0
}
