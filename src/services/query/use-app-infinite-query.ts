/**
 * useAppQuery for lists read a page at a time (the feed, search results, bookmarks): TanStack Query's
 * useInfiniteQuery with the same rules — the key under the signed-in person, nothing fetched while the
 * session settles, no refetch on focus while the page is hidden, errors as AppErrors — and the pages
 * flattened into one list for the page to show. `loadMore` fetches the next page after the last row's
 * cursor ("加载更多" and reaching the bottom).
 */
import { useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'
import { useInfiniteQuery, useQueryClient, type InfiniteData, type QueryKey } from '@tanstack/react-query'
import { useSession } from '../auth/use-session'
import { toAppError, type AppError } from '../errors'
import { ANONYMOUS, personKey } from './person-key'

export interface AppInfiniteQueryOptions<T, C> {
  /** The domain key (from the domain's keys.ts), without the person. */
  key: QueryKey
  /** One page after `cursor` (null: the first page). Throws an AppError on failure. */
  fetchPage: (cursor: C | null) => Promise<T[]>
  /** The cursor after a page, or null when that page was the last (e.g. shorter than the page size). */
  nextCursor: (page: T[]) => C | null
  enabled?: boolean
}

export interface AppInfiniteQueryResult<T> {
  /** Every row loaded so far; undefined until the first page arrives. */
  data: T[] | undefined
  error: AppError | null
  status: 'loading' | 'success' | 'error'
  isFetching: boolean
  hasMore: boolean
  loadingMore: boolean
  /** Fetches the next page, once at a time; resolves when done, never rejects. */
  loadMore: () => Promise<void>
  /** Starts again from the first page (pull-to-refresh). */
  refetch: () => Promise<void>
}

function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true)
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))
  return visible
}

export function useAppInfiniteQuery<T, C>({ key, fetchPage, nextCursor, enabled = true }: AppInfiniteQueryOptions<T, C>): AppInfiniteQueryResult<T> {
  const session = useSession()
  const settled = session.status !== 'starting' && session.status !== 'signing-in'
  const person = session.status === 'signed-in' ? session.user.id : ANONYMOUS
  const visible = usePageVisible()
  const client = useQueryClient()
  const queryKey = personKey(person, key)
  const subscribed = visible || client.getQueryData(queryKey) === undefined
  const query = useInfiniteQuery<T[], AppError, InfiniteData<T[], C | null>, QueryKey, C | null>({
    queryKey,
    queryFn: async ({ pageParam }) => {
      try {
        return await fetchPage(pageParam as C | null)
      } catch (error) {
        throw toAppError(error)
      }
    },
    initialPageParam: null,
    getNextPageParam: (lastPage) => nextCursor(lastPage) ?? undefined,
    enabled: enabled && settled,
    subscribed,
  })
  const data = query.data?.pages.flat()
  return {
    data,
    error: query.error ? toAppError(query.error) : null,
    status: data !== undefined ? 'success' : query.status === 'error' ? 'error' : 'loading',
    isFetching: query.isFetching,
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    loadMore: async () => {
      if (!query.hasNextPage || query.isFetchingNextPage) return
      await query.fetchNextPage()
    },
    refetch: async () => {
      await query.refetch()
    },
  }
}
