/**
 * A post as its author (or an admin) edits it: every column, in any state. null when it cannot be read.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'

export async function getPostForEditing(id: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.from('posts').select('*').eq('id', id).maybeSingle()
  if (error) handleError(error, status)
  return data
}

export type EditablePost = NonNullable<Awaited<ReturnType<typeof getPostForEditing>>>

export function usePostForEditing(id: string | null) {
  // Always fresh: someone else (an admin) may have changed it since.
  return useAppQuery({ key: postKeys.editing(id ?? ''), fetcher: () => (id ? getPostForEditing(id) : Promise.resolve(null)), enabled: id !== null, staleTime: 0 })
}
