/**
 * One question with its replies (who wrote each, which one is the answer), as its group's members read
 * it. Row-level security shows only questions of the person's groups.
 */
import { AppError, handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

export async function getQuestion(questionId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('group_questions')
    // One literal (supabase-js types the result from it): the question, its group, asker, owner and replies with authors.
    .select(
      'id, group_id, asker_id, owner_id, title, body, status, due_at, overdue, answer_reply_id, created_at, answered_at, accepted_at, closed_at, reopened_count, group:groups!inner(name), asker:profiles!group_questions_asker_id_fkey(display_name), owner:profiles!group_questions_owner_id_fkey(display_name), replies:group_question_replies!group_question_replies_question_id_fkey(id, author_id, body, created_at, author:profiles!group_question_replies_author_id_fkey(display_name))',
    )
    .eq('id', questionId)
    .maybeSingle()
  if (error) handleError(error, status)
  if (!data) throw new AppError({ code: 'not_found', status: 404, message: '没有找到这个问题，可能您已不在这个群里', detail: `question ${questionId}` })
  // Replies oldest first (sorted here: the order of an embedded list is not guaranteed).
  return { ...data, replies: [...data.replies].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)) }
}

export type QuestionDetail = Awaited<ReturnType<typeof getQuestion>>

/** Questions change while someone waits for an answer: fresh for a short while only. */
const QUESTION_STALE_MS = 5_000

export function useQuestion(questionId: string | null) {
  return useAppQuery({ key: questionKeys.detail(questionId ?? ''), fetcher: () => getQuestion(questionId!), enabled: questionId !== null, staleTime: QUESTION_STALE_MS })
}
