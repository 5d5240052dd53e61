/**
 * 我的文章: the posts a butler or admin wrote, in every state, most recently changed first; admins may
 * also list everyone's (全部). Read from the posts table: row-level security shows an author their own
 * drafts and scheduled posts, and admins every post.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppInfiniteQuery } from '../query/use-app-infinite-query'
import { postKeys } from './keys'

export const MY_POSTS_PAGE_SIZE = 30

export interface MyPostsCursor {
  updated_at: string
  id: string
}

export async function getMyPosts(authorId: string | null, after: MyPostsCursor | null, client: AppSupabaseClient = getSupabase()) {
  let query = client
    .from('posts')
    .select('id, kind, title, status, pinned, published_at, archived_at, updated_at, read_count, revised_at, region, author:profiles!author_id(display_name)')
  if (authorId) query = query.eq('author_id', authorId)
  // The timestamp is quoted: it holds PostgREST's reserved characters (. and :).
  if (after) query = query.or(`updated_at.lt."${after.updated_at}",and(updated_at.eq."${after.updated_at}",id.lt.${after.id})`)
  const { data, error, status } = await query.order('updated_at', { ascending: false }).order('id', { ascending: false }).limit(MY_POSTS_PAGE_SIZE)
  if (error) handleError(error, status)
  return data
}

export type MyPost = Awaited<ReturnType<typeof getMyPosts>>[number]

/** `authorId` null: every post (admins). */
export function useMyPosts(authorId: string | null, scope: 'mine' | 'all', enabled: boolean) {
  return useAppInfiniteQuery<MyPost, MyPostsCursor>({
    key: postKeys.myPosts(scope),
    fetchPage: (after) => getMyPosts(scope === 'mine' ? authorId : null, after),
    nextCursor: (page) => {
      if (page.length < MY_POSTS_PAGE_SIZE) return null
      const last = page[page.length - 1]
      return { updated_at: last.updated_at, id: last.id }
    },
    enabled,
  })
}
