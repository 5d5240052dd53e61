/**
 * 收藏: whether the person saved a post, saving and removing it, and 我的收藏 (newest first, 50 a page,
 * through my_bookmarks, which keeps only posts the person can still read).
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppInfiniteQuery } from '../query/use-app-infinite-query'
import { setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'

export const BOOKMARKS_PAGE_SIZE = 50

export async function isBookmarked(postId: string, client: AppSupabaseClient = getSupabase()): Promise<boolean> {
  const { data, error, status } = await client.from('post_bookmarks').select('post_id').eq('post_id', postId).maybeSingle()
  if (error) handleError(error, status)
  return data !== null
}

export async function setBookmarked(postId: string, saved: boolean, client: AppSupabaseClient = getSupabase()): Promise<boolean> {
  if (saved) {
    // Saving twice is one bookmark: the existing row is kept (ignoreDuplicates → on conflict do nothing).
    const { error, status } = await client.from('post_bookmarks').upsert({ post_id: postId }, { onConflict: 'user_id,post_id', ignoreDuplicates: true })
    if (error) handleError(error, status)
  } else {
    const { error, status } = await client.from('post_bookmarks').delete().eq('post_id', postId)
    if (error) handleError(error, status)
  }
  return saved
}

export async function getBookmarks(before: string | null, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('my_bookmarks', before ? { before } : {}, { get: true })
  if (error) handleError(error, status)
  return data
}

export type BookmarkedPost = Awaited<ReturnType<typeof getBookmarks>>[number]

export function useBookmarked(postId: string | null, signedIn: boolean) {
  return useAppQuery({ key: postKeys.bookmarked(postId ?? ''), fetcher: () => isBookmarked(postId ?? ''), enabled: postId !== null && signedIn })
}

export function useBookmarks(signedIn: boolean) {
  return useAppInfiniteQuery<BookmarkedPost, string>({
    key: postKeys.bookmarks(),
    fetchPage: (before) => getBookmarks(before),
    nextCursor: (page) => (page.length < BOOKMARKS_PAGE_SIZE ? null : page[page.length - 1].bookmarked_at),
    enabled: signedIn,
  })
}

/** The 收藏 toggle: the star changes at once; 我的收藏 is fetched again when next shown. */
export function useBookmarkMutation() {
  return useAppMutation<{ postId: string; saved: boolean }, boolean>({
    mutate: ({ postId, saved }) => setBookmarked(postId, saved),
    onSuccess: (saved, { postId }) => setQueryData(postKeys.bookmarked(postId), saved),
    successToast: undefined,
    invalidates: () => [postKeys.bookmarks()],
  })
}
