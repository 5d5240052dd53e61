/**
 * 搜索: visible posts whose title, summary, tags or body contain the words (a Chinese substring: 担保
 * finds 创业担保贷款贴息), newest first, 50 a page. Each hit says where it was found and carries a short
 * snippet with the hit's place in it; the page marks the hit (highlight.ts).
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppInfiniteQuery } from '../query/use-app-infinite-query'
import { postKeys } from './keys'

export const SEARCH_PAGE_SIZE = 50
/** The database refuses longer queries; the box stops here. */
export const SEARCH_MAX_LENGTH = 30

export interface SearchCursor {
  published_at: string
  id: string
}

export async function searchPosts(q: string, before: SearchCursor | null, client: AppSupabaseClient = getSupabase()) {
  const args: { q: string; before_published_at?: string; before_id?: string } = { q }
  if (before) {
    args.before_published_at = before.published_at
    args.before_id = before.id
  }
  const { data, error, status } = await client.rpc('search_post_hits', args, { get: true })
  if (error) handleError(error, status)
  return data
}

export type SearchHit = Awaited<ReturnType<typeof searchPosts>>[number]

export function useSearch(q: string) {
  return useAppInfiniteQuery<SearchHit, SearchCursor>({
    key: postKeys.search(q),
    fetchPage: (before) => searchPosts(q, before),
    nextCursor: (page) => {
      if (page.length < SEARCH_PAGE_SIZE) return null
      const last = page[page.length - 1]
      return { published_at: last.published_at, id: last.id }
    },
    enabled: q !== '',
  })
}
