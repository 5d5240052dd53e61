/**
 * Query keys of the posts domain, one place so a mutation can name what it makes stale. Keys name the
 * data only; useAppQuery puts them under the signed-in person (services/query/person-key.ts).
 */
import type { PostKind } from '../../constants/post-kinds'

/** What the feed is narrowed to (首页's kind and tag chips); null for all. */
export interface FeedFilter {
  kind: PostKind | null
  tag: string | null
}

export const postKeys = {
  all: ['posts'] as const,
  /** Every feed, whatever its filter (what a publish or archive makes stale). */
  feeds: () => [...postKeys.all, 'feed'] as const,
  feed: (filter: FeedFilter = { kind: null, tag: null }) => [...postKeys.feeds(), filter.kind ?? '', filter.tag ?? ''] as const,
  detail: (id: string) => [...postKeys.all, 'detail', id] as const,
  revisions: (id: string) => [...postKeys.all, 'revisions', id] as const,
  searches: () => [...postKeys.all, 'search'] as const,
  search: (q: string) => [...postKeys.searches(), q] as const,
  bookmarks: () => [...postKeys.all, 'bookmarks'] as const,
  bookmarked: (id: string) => [...postKeys.bookmarks(), 'one', id] as const,
  follows: () => [...postKeys.all, 'follows'] as const,
  /** The editor's data: my posts, a post being edited, my leads. */
  editor: () => [...postKeys.all, 'editor'] as const,
  myPosts: (scope: 'mine' | 'all') => [...postKeys.editor(), 'list', scope] as const,
  editing: (id: string) => [...postKeys.editor(), 'post', id] as const,
  leads: () => [...postKeys.all, 'leads'] as const,
}
