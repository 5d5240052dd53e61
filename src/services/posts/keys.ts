/**
 * Query keys of the posts domain, one place so a mutation can name what it makes stale. Keys name the
 * data only; useAppQuery puts them under the signed-in person (services/query/person-key.ts).
 */
export const postKeys = {
  all: ['posts'] as const,
  feed: () => [...postKeys.all, 'feed'] as const,
}
