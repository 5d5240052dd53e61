/** 我的提问: the questions I asked, in every group, newest first, with their state and group. */
import { handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

export async function getMyQuestions(userId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('group_questions')
    .select('id, group_id, title, status, check_status, created_at, due_at, answered_at, group:groups!inner(name)')
    .eq('asker_id', userId)
    .order('created_at', { ascending: false })
    .limit(100)
  if (error) handleError(error, status)
  return data
}

export type MyQuestion = Awaited<ReturnType<typeof getMyQuestions>>[number]

export function useMyQuestions(userId: string | null) {
  return useAppQuery({ key: questionKeys.mine(), fetcher: () => getMyQuestions(userId!), enabled: userId !== null })
}
