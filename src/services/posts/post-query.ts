/**
 * One post for its page: every field a reader sees, and its author's name. Row-level security decides
 * whether the person may read it (their region and 全市; staff any visible post; an author their own in
 * any state; admins all); an archived post still opens by its link. null when it cannot be read (gone,
 * not yet published, another region: the page says it was not found, alike for each).
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'

// One literal: supabase-js reads the columns' types from the string's type.
export const POST_COLUMNS =
  'id, kind, title, summary, body_doc, tags, region, cover_path, issuer, doc_number, effective_from, effective_to, investment_min, investment_max, skills, contact, status, pinned, published_at, archived_at, read_count, revised_at, created_at, updated_at, author_id, author:profiles!author_id(display_name)'

export async function getPost(id: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.from('posts').select(POST_COLUMNS).eq('id', id).maybeSingle()
  if (error) handleError(error, status)
  return data
}

export type PostDetail = NonNullable<Awaited<ReturnType<typeof getPost>>>

export function usePost(id: string | null) {
  return useAppQuery({ key: postKeys.detail(id ?? ''), fetcher: () => (id ? getPost(id) : Promise.resolve(null)), enabled: id !== null })
}
