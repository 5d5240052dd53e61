/**
 * The state changes of a post, each checked by the database: 发布 (now, or 定时发布 at a later time),
 * 撤回 (back to draft), 归档 (out of the feed and search), 置顶 / 取消置顶.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { postKeys } from './keys'

export type PostStateChange =
  | { action: 'publish'; postId: string; at: string | null }
  | { action: 'unpublish'; postId: string }
  | { action: 'archive'; postId: string }
  | { action: 'pin'; postId: string; pinned: boolean }

export async function changePostState(change: PostStateChange, client: AppSupabaseClient = getSupabase()) {
  const request =
    change.action === 'publish'
      ? client.rpc('publish_post', change.at ? { post_id: change.postId, at: change.at } : { post_id: change.postId })
      : change.action === 'unpublish'
        ? client.rpc('unpublish_post', { post_id: change.postId })
        : change.action === 'archive'
          ? client.rpc('archive_post', { post_id: change.postId })
          : client.rpc('set_post_pinned', { post_id: change.postId, pinned: change.pinned })
  const { data, error, status } = await request
  if (error) handleError(error, status)
  return data
}

export type ChangedPost = Awaited<ReturnType<typeof changePostState>>

/** What each change says when it worked (short: WeChat shows 7 characters with the tick). */
export function stateChangeToast(change: PostStateChange): string {
  switch (change.action) {
    case 'publish':
      return change.at ? '已定时发布' : '已发布'
    case 'unpublish':
      return '已撤回为草稿'
    case 'archive':
      return '已归档'
    case 'pin':
      return change.pinned ? '已置顶' : '已取消置顶'
  }
}

export function usePostStateMutation() {
  return useAppMutation<PostStateChange, ChangedPost>({
    mutate: (change) => changePostState(change),
    onSuccess: (post) => setQueryData(postKeys.editing(post.id), post),
    invalidates: (post) => [postKeys.editor(), postKeys.detail(post.id), postKeys.feeds(), postKeys.searches()],
  })
}
