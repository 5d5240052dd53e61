/**
 * The home feed: published posts whose time has come, pinned first, then newest first, each with its
 * author's name. Read through the feed_posts RPC rather than the posts table: row-level security lets an
 * author read their own drafts and scheduled posts, and those must not lead their feed. A GET, because
 * the function only reads.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export const FEED_PAGE_SIZE = 20

export async function getFeed(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .rpc('feed_posts', undefined, { get: true })
    .select('id, kind, title, summary, pinned, published_at, author:profiles!author_id(display_name, avatar_path)')
    .limit(FEED_PAGE_SIZE)
  if (error) handleError(error, status)
  return data
}

export type FeedData = Awaited<ReturnType<typeof getFeed>>
export type FeedPost = FeedData[number]
