/** Query keys of the posts domain, one place so a mutation can name what it makes stale. */
export const postKeys = {
  all: ['posts'] as const,
  feed: () => [...postKeys.all, 'feed'] as const,
}
