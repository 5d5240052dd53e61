/**
 * The home feed: published posts, pinned first, then newest first. Row-level security already hides
 * drafts and scheduled posts from everyone but their author.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export const FEED_PAGE_SIZE = 20

export async function getFeed(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('posts')
    .select('id, kind, title, summary, pinned, published_at, author:profiles!author_id(display_name)')
    .order('pinned', { ascending: false })
    .order('published_at', { ascending: false })
    .limit(FEED_PAGE_SIZE)
  if (error) handleError(error, status)
  return data
}

export type FeedData = Awaited<ReturnType<typeof getFeed>>
export type FeedPost = FeedData[number]
