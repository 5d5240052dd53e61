/**
 * The home feed, a page at a time: published posts whose time has come, not archived, of the person's
 * region and 全市 (row-level security decides the region), pinned first, then newest first, each with
 * its author's name; optionally one kind and one tag. Read through the feed_posts RPC rather than the
 * posts table: row-level security lets an author read their own drafts and scheduled posts, and those
 * must not lead their feed. A GET, because the function only reads.
 *
 * Paging is by cursor, not offset: the next page starts after the last row's (pinned, published_at, id),
 * so a post published meanwhile never shifts a row onto two pages.
 */
import type { PostKind } from '../../constants/post-kinds'
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export const FEED_PAGE_SIZE = 20

/** Where the next page starts: the last row's order columns. */
export interface FeedCursor {
  pinned: boolean
  published_at: string
  id: string
}

export interface FeedPageParams {
  kind?: PostKind | null
  tag?: string | null
  after?: FeedCursor | null
}

export const FEED_COLUMNS = 'id, kind, title, summary, tags, region, cover_path, pinned, published_at, revised_at, author:profiles!author_id(display_name, avatar_path)'

export async function getFeed(client: AppSupabaseClient = getSupabase(), { kind = null, tag = null, after = null }: FeedPageParams = {}) {
  // Only the arguments given: a GET sends them in the query string, where null would be the text "null".
  const args: { kind?: PostKind; tag?: string; after_pinned?: boolean; after_published_at?: string; after_id?: string } = {}
  if (kind) args.kind = kind
  if (tag) args.tag = tag
  if (after) {
    args.after_pinned = after.pinned
    args.after_published_at = after.published_at
    args.after_id = after.id
  }
  const { data, error, status } = await client.rpc('feed_posts', args, { get: true }).select(FEED_COLUMNS).limit(FEED_PAGE_SIZE)
  if (error) handleError(error, status)
  return data
}

export type FeedData = Awaited<ReturnType<typeof getFeed>>
export type FeedPost = FeedData[number]

/** The cursor after a page, or null when it was the last. */
export function feedCursorAfter(page: readonly FeedPost[]): FeedCursor | null {
  if (page.length < FEED_PAGE_SIZE) return null
  const last = page[page.length - 1]
  return last.published_at ? { pinned: last.pinned, published_at: last.published_at, id: last.id } : null
}
