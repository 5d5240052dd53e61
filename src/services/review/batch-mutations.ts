/**
 * What a butler does with a locked batch: 标记已申报 (after the 公示 window, with nothing missing and every
 * objection answered: the database checks and says what is not yet done), each application 已发放 or
 * 未发放 with a reason, and the answer to an objection. Each notifies the people concerned.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { reviewKeys } from './keys'

export async function markBatchFiled(batchId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('mark_batch_filed', { batch_id: batchId })
  if (error) handleError(error, status)
  return data
}

export async function markDisbursed(applicationId: string, disbursed: boolean, note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('mark_application_disbursed', { application_id: applicationId, disbursed, note: note.trim() })
  if (error) handleError(error, status)
  return data
}

export async function answerObjection(objectionId: string, answer: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('answer_objection', { objection_id: objectionId, answer: answer.trim() })
  if (error) handleError(error, status)
  return data
}

const afterBatchChange = (batchId: string) => [reviewKeys.batch(batchId), reviewKeys.batches(), [...reviewKeys.all, 'application'], [...reviewKeys.all, 'queue']]

export function useMarkFiledMutation(batchId: string) {
  return useAppMutation({ mutate: () => markBatchFiled(batchId), invalidates: () => afterBatchChange(batchId), successToast: '已标记申报' })
}

export function useDisbursedMutation(batchId: string) {
  return useAppMutation({
    mutate: ({ applicationId, disbursed, note }: { applicationId: string; disbursed: boolean; note: string }) => markDisbursed(applicationId, disbursed, note),
    invalidates: () => afterBatchChange(batchId),
    successToast: '已记录',
  })
}

export function useAnswerObjectionMutation(batchId: string) {
  return useAppMutation({
    mutate: ({ objectionId, answer }: { objectionId: string; answer: string }) => answerObjection(objectionId, answer),
    invalidates: () => afterBatchChange(batchId),
    successToast: '已答复',
  })
}
