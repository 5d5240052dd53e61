/**
 * 关注 tags: the tags the person follows, and following or unfollowing one. A newly published post with
 * a followed tag lands in the person's 消息中心 (the database tells each follower once per post).
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { setQueryData, getQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'

export async function getFollowedTags(client: AppSupabaseClient = getSupabase()): Promise<string[]> {
  const { data, error, status } = await client.from('tag_follows').select('tag').order('created_at', { ascending: true })
  if (error) handleError(error, status)
  return data.map((row) => row.tag)
}

export async function setFollowing(tag: string, follow: boolean, client: AppSupabaseClient = getSupabase()): Promise<boolean> {
  const { data, error, status } = await client.rpc(follow ? 'follow_tag' : 'unfollow_tag', { tag })
  if (error) handleError(error, status)
  return data
}

export function useFollowedTags(signedIn: boolean) {
  return useAppQuery({ key: postKeys.follows(), fetcher: () => getFollowedTags(), enabled: signedIn })
}

export function useFollowMutation() {
  return useAppMutation<{ tag: string; follow: boolean }, boolean>({
    mutate: ({ tag, follow }) => setFollowing(tag, follow),
    onSuccess: (following, { tag }) => {
      const tags = getQueryData<string[]>(postKeys.follows()) ?? []
      setQueryData(postKeys.follows(), following ? [...tags.filter((t) => t !== tag), tag] : tags.filter((t) => t !== tag))
    },
    invalidates: () => [postKeys.follows()],
  })
}
