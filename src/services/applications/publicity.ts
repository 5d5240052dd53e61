/**
 * 公示: the batches whose approved subsidies are shown publicly (masked names), each batch's list, and
 * 提出异议 while its objection window is open (raise_objection refuses afterwards, in Chinese).
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { applicationKeys } from './keys'

export async function getPublicityBatches(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('publicity_batches')
  if (error) handleError(error, status)
  return data ?? []
}

export type PublicityBatch = Awaited<ReturnType<typeof getPublicityBatches>>[number]

export function usePublicityBatches(enabled: boolean) {
  return useAppQuery({ key: applicationKeys.publicityBatches(), fetcher: () => getPublicityBatches(), enabled })
}

export async function getPublicityList(batchId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('publicity_list', { batch_id: batchId })
  if (error) handleError(error, status)
  return data ?? []
}

export type PublicityRow = Awaited<ReturnType<typeof getPublicityList>>[number]

export function usePublicityList(batchId: string | null) {
  return useAppQuery({ key: applicationKeys.publicityList(batchId ?? ''), fetcher: () => getPublicityList(batchId!), enabled: batchId !== null })
}

export async function raiseObjection(batchId: string, applicationId: string | null, body: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('raise_objection', { batch_id: batchId, application_id: applicationId as string, body: body.trim() })
  if (error) handleError(error, status)
  return data
}

export function useRaiseObjectionMutation(batchId: string) {
  return useAppMutation({
    mutate: ({ applicationId, body }: { applicationId: string | null; body: string }) => raiseObjection(batchId, applicationId, body),
    successToast: '异议已提交',
    errorToast: false,
  })
}
