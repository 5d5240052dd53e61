/**
 * 阅读数: the person opened a post. The database counts each person once per post (a second call changes
 * nothing) and answers the post's count.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function recordPostRead(postId: string, client: AppSupabaseClient = getSupabase()): Promise<number> {
  const { data, error, status } = await client.rpc('record_post_read', { post_id: postId })
  if (error) handleError(error, status)
  return data
}
