import { useAppInfiniteQuery } from '../query/use-app-infinite-query'
import { postKeys, type FeedFilter } from './keys'
import { feedCursorAfter, getFeed, type FeedCursor, type FeedPost } from './posts-query'

/**
 * The home feed for a page, narrowed by kind and tag: the rows loaded so far, loadMore for the next page
 * (加载更多, reaching the bottom), refetch for pull-to-refresh.
 */
export function useFeed(filter: FeedFilter = { kind: null, tag: null }) {
  return useAppInfiniteQuery<FeedPost, FeedCursor>({
    key: postKeys.feed(filter),
    fetchPage: (after) => getFeed(undefined, { kind: filter.kind, tag: filter.tag, after }),
    nextCursor: feedCursorAfter,
  })
}
