import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'
import { getFeed } from './posts-query'

/** The home feed for a page: data, loading and error state, and refetch for pull-to-refresh. */
export function useFeed() {
  return useAppQuery({ key: postKeys.feed(), fetcher: () => getFeed() })
}
