import type { Enums } from '../services/supabase/database.types'

export type PostKind = Enums<'post_kind'>

/** How each kind of post is named in the interface. */
export const POST_KIND_LABELS: Record<PostKind, string> = {
  policy: '政策',
  project: '创业项目',
  story: '创业典型',
  notice: '通知',
}

/** The kinds in the order they are offered (feed filter, editor). */
export const POST_KINDS: readonly PostKind[] = ['policy', 'project', 'story', 'notice']
