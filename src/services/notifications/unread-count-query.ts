/** How many of the signed-in person's messages are unread (for the 我的 tab badge and entry row). */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getUnreadCount(client: AppSupabaseClient = getSupabase()): Promise<number> {
  const { data, error, status } = await client.rpc('unread_notification_count')
  if (error) handleError(error, status)
  return data ?? 0
}
