/**
 * The changes made to a published post (修改记录): who, when, which fields. Only the post's author and
 * admins can read them (row-level security); everyone else gets none and sees only 更新于 (revised_at).
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'

export const REVISIONS_SHOWN = 20

export async function getRevisions(postId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('post_revisions')
    .select('id, created_at, changes, editor:profiles!editor_id(display_name)')
    .eq('post_id', postId)
    .order('created_at', { ascending: false })
    .limit(REVISIONS_SHOWN)
  if (error) handleError(error, status)
  return data
}

export type PostRevision = Awaited<ReturnType<typeof getRevisions>>[number]

/** The revisions, asked for only when the person may read them (the author or an admin). */
export function useRevisions(postId: string | null, allowed: boolean) {
  return useAppQuery({
    key: postKeys.revisions(postId ?? ''),
    fetcher: () => (postId ? getRevisions(postId) : Promise.resolve([])),
    enabled: postId !== null && allowed,
  })
}

/** How each changed field is named in 修改记录. */
export const FIELD_LABELS: Record<string, string> = {
  kind: '类型',
  title: '标题',
  summary: '摘要',
  body: '正文',
  tags: '标签',
  region: '地区',
  cover_path: '封面',
  issuer: '发文机关',
  doc_number: '文号',
  effective_from: '生效日期',
  effective_to: '失效日期',
  investment_min: '投资下限',
  investment_max: '投资上限',
  skills: '所需技能',
  contact: '联系方式',
}

/** The fields a revision changed, named for people: 标题、正文. */
export function changedFields(changes: unknown): string {
  if (typeof changes !== 'object' || changes === null) return ''
  return Object.keys(changes)
    .map((field) => FIELD_LABELS[field] ?? field)
    .join('、')
}
