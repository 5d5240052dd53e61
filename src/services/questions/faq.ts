/**
 * 常见问题 of a group, managed by its butlers: the entries (newest change first) with the policy each
 * relies on and its 更新于, 编辑 (question, answer, linked policy), 删除 and 已复核 for an entry whose
 * policy was revised since (needs_recheck, 需复核). Every write is an RPC (the mini-program cannot send
 * PATCH); the database decides who may, and answers in Chinese.
 */
import { handleError } from '../errors'
import { postKeys } from '../posts/keys'
import { searchPosts } from '../posts/search-query'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

/** The database's limits, so the form stops where the server would refuse. */
export const FAQ_QUESTION_MAX = 200
export const FAQ_ANSWER_MAX = 4000

export async function getGroupFaqs(groupId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('group_faqs')
    .select('id, group_id, question, answer, policy_post_id, needs_recheck, updated_at, policy:posts!group_faqs_policy_post_id_fkey(id, title, revised_at)')
    .eq('group_id', groupId)
    .order('updated_at', { ascending: false })
    .limit(500)
  if (error) handleError(error, status)
  return data
}

export type GroupFaq = Awaited<ReturnType<typeof getGroupFaqs>>[number]

/** The entries whose linked policy was revised since they were last checked. */
export function faqsToRecheck(faqs: readonly GroupFaq[]): GroupFaq[] {
  return faqs.filter((faq) => faq.needs_recheck)
}

export interface FaqEdit {
  faqId: string
  question: string
  answer: string
  policyPostId: string | null
}

export async function updateGroupFaq(edit: FaqEdit, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('update_group_faq', {
    faq_id: edit.faqId,
    question: edit.question.trim(),
    answer: edit.answer.trim(),
    // null unlinks; the generated type knows only the default.
    policy_post_id: edit.policyPostId as string,
  })
  if (error) handleError(error, status)
  return data
}

export async function markFaqRechecked(faqId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('mark_faq_rechecked', { faq_id: faqId })
  if (error) handleError(error, status)
  return data
}

export async function deleteGroupFaq(faqId: string, client: AppSupabaseClient = getSupabase()) {
  const { error, status } = await client.rpc('delete_group_faq', { faq_id: faqId })
  if (error) handleError(error, status)
}

/** Published policies whose text holds `q` (the posts search, policies only), for linking an entry. */
export async function searchPolicies(q: string, client: AppSupabaseClient = getSupabase()) {
  const hits = await searchPosts(q, null, client)
  return hits.filter((hit) => hit.kind === 'policy')
}

export type PolicyChoice = Awaited<ReturnType<typeof searchPolicies>>[number]

export function useGroupFaqs(groupId: string | null, enabled = true) {
  return useAppQuery({ key: questionKeys.faqs(groupId ?? ''), fetcher: () => getGroupFaqs(groupId!), enabled: enabled && groupId !== null })
}

export function usePolicySearch(q: string) {
  return useAppQuery({ key: [...postKeys.search(q), 'policies'], fetcher: () => searchPolicies(q), enabled: q !== '' })
}

export function useUpdateFaqMutation(groupId: string) {
  return useAppMutation({ mutate: (edit: FaqEdit) => updateGroupFaq(edit), invalidates: () => [questionKeys.faqs(groupId)], successToast: '已保存' })
}

export function useMarkRecheckedMutation(groupId: string) {
  return useAppMutation({ mutate: (faqId: string) => markFaqRechecked(faqId), invalidates: () => [questionKeys.faqs(groupId)], successToast: '已复核' })
}

export function useDeleteFaqMutation(groupId: string) {
  return useAppMutation({ mutate: (faqId: string) => deleteGroupFaq(faqId), invalidates: () => [questionKeys.faqs(groupId)], successToast: '已删除' })
}
