/**
 * Where a post stands, as staff read it in 我的文章 and on the editor: 草稿, 定时发布, 已发布, 已归档.
 * Pure: derived from status, published_at and archived_at.
 */
export type PostStage = 'draft' | 'scheduled' | 'published' | 'archived'

export const POST_STAGE_LABELS: Record<PostStage, string> = {
  draft: '草稿',
  scheduled: '定时发布',
  published: '已发布',
  archived: '已归档',
}

export interface StagedPost {
  status: 'draft' | 'published'
  published_at: string | null
  archived_at: string | null
}

export function postStage(post: StagedPost, now: number = Date.now()): PostStage {
  if (post.status === 'draft') return 'draft'
  if (post.archived_at) return 'archived'
  if (post.published_at && Date.parse(post.published_at) > now) return 'scheduled'
  return 'published'
}
