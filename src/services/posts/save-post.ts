/**
 * 保存 a post: a new draft (no id) or the content of an existing one (with id). Only content goes
 * through here; publishing, pinning and archiving are their own changes (post-state.ts). The database
 * sanitizes the body and checks every field, answering in Chinese.
 */
import type { PostKind } from '../../constants/post-kinds'
import type { Json } from '../supabase/database.types'
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { postKeys } from './keys'
import type { RichTextNode } from './rich-text'

export interface PostDraft {
  id?: string
  kind: PostKind
  title: string
  summary: string
  body_doc: RichTextNode[]
  tags: string[]
  region: string
  cover_path: string | null
  issuer: string | null
  doc_number: string | null
  effective_from: string | null
  effective_to: string | null
  investment_min: number | null
  investment_max: number | null
  skills: string | null
  contact: string | null
}

export async function savePost(draft: PostDraft, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('save_post', { post: draft as unknown as Json })
  if (error) handleError(error, status)
  return data
}

export type SavedPost = Awaited<ReturnType<typeof savePost>>

export function useSavePostMutation() {
  return useAppMutation<PostDraft, SavedPost>({
    mutate: (draft) => savePost(draft),
    errorToast: true,
    onSuccess: (post) => setQueryData(postKeys.editing(post.id), post),
    invalidates: (post) => [postKeys.editor(), postKeys.detail(post.id), postKeys.feeds(), postKeys.revisions(post.id)],
  })
}
