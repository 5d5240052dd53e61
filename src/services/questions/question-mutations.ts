/**
 * Every change of a question is one RPC that checks who asks and whether the state allows it (the
 * database answers in Chinese when not: 只有提问人可以采纳, 这个问题已经关闭 …): 提问, 回复 (a butler's
 * reply may be marked the answer at once), 标记为答案, 采纳, 继续追问, 关闭, 认领, 转交, 加入常见问题.
 * Each success refreshes the question, the asker's list and the butlers' queue.
 */
import { handleError } from '../errors'
import { groupKeys } from '../groups/keys'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

export async function askQuestion(groupId: string, title: string, body: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('ask_question', { group_id: groupId, title, body })
  if (error) handleError(error, status)
  return data
}

export async function replyToQuestion(questionId: string, body: string, asAnswer: boolean, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('reply_to_question', { question_id: questionId, body: body.trim(), as_answer: asAnswer })
  if (error) handleError(error, status)
  return data
}

async function questionRpc(
  name: 'mark_answer' | 'accept_answer' | 'reopen_question' | 'close_question' | 'claim_question',
  args: Record<string, string>,
  client: AppSupabaseClient = getSupabase(),
) {
  // Each of these answers with the question row; the argument names are the functions' own.
  const { data, error, status } = await client.rpc(name, args as never)
  if (error) handleError(error, status)
  return data
}

/** 转交: a butler of the group gives an open question to another butler of the group, with a note they are told. */
export async function assignQuestion(questionId: string, butlerId: string, note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('assign_question', { question_id: questionId, butler_id: butlerId, note: note.trim() })
  if (error) handleError(error, status)
  return data
}

export async function createFaqFromQuestion(questionId: string, question: string, answer: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('create_faq_from_question', {
    question_id: questionId,
    question: question.trim() || undefined,
    answer: answer.trim() || undefined,
  })
  if (error) handleError(error, status)
  return data
}

/** 转为提问: a butler makes a member's chat message that member's question (again: the same question). */
export async function convertMessageToQuestion(messageId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('convert_message_to_question', { message_id: messageId })
  if (error) handleError(error, status)
  return data
}

const afterChange = (questionId: string) => [questionKeys.detail(questionId), questionKeys.mine(), questionKeys.queue(), questionKeys.summary()]

export function useAskQuestionMutation() {
  return useAppMutation({
    mutate: ({ groupId, title, body }: { groupId: string; title: string; body: string }) => askQuestion(groupId, title, body),
    invalidates: () => [questionKeys.mine(), groupKeys.all],
    errorToast: false,
  })
}

export function useReplyMutation(questionId: string) {
  return useAppMutation({
    mutate: ({ body, asAnswer }: { body: string; asAnswer: boolean }) => replyToQuestion(questionId, body, asAnswer),
    invalidates: () => afterChange(questionId),
    successToast: '已回复',
  })
}

export function useMarkAnswerMutation(questionId: string) {
  return useAppMutation({
    mutate: (replyId: string) => questionRpc('mark_answer', { reply_id: replyId }),
    invalidates: () => afterChange(questionId),
    successToast: '已标记为答案',
  })
}

export function useAcceptAnswerMutation(questionId: string) {
  return useAppMutation({
    mutate: () => questionRpc('accept_answer', { question_id: questionId }),
    invalidates: () => afterChange(questionId),
    successToast: '已采纳',
  })
}

export function useReopenMutation(questionId: string) {
  return useAppMutation({
    mutate: (body: string) => questionRpc('reopen_question', { question_id: questionId, body: body.trim() }),
    invalidates: () => afterChange(questionId),
    successToast: '已追问',
  })
}

export function useCloseQuestionMutation(questionId: string) {
  return useAppMutation({
    mutate: (reason: string) => questionRpc('close_question', { question_id: questionId, reason: reason.trim() }),
    invalidates: () => afterChange(questionId),
    successToast: '已关闭',
  })
}

export function useClaimQuestionMutation(questionId: string) {
  return useAppMutation({
    mutate: () => questionRpc('claim_question', { question_id: questionId }),
    invalidates: () => afterChange(questionId),
    successToast: '已认领',
  })
}

export function useAssignQuestionMutation(questionId: string) {
  return useAppMutation({
    mutate: ({ butlerId, note }: { butlerId: string; note: string }) => assignQuestion(questionId, butlerId, note),
    invalidates: () => afterChange(questionId),
    successToast: '已转交',
  })
}

export function useCreateFaqMutation(questionId: string) {
  return useAppMutation({
    mutate: ({ question, answer }: { question: string; answer: string }) => createFaqFromQuestion(questionId, question, answer),
    invalidates: () => afterChange(questionId),
    successToast: '已加入常见问题',
  })
}

export function useConvertMessageMutation() {
  return useAppMutation({
    mutate: (messageId: string) => convertMessageToQuestion(messageId),
    invalidates: () => [questionKeys.queue(), questionKeys.summary()],
    successToast: '已转为提问',
  })
}
