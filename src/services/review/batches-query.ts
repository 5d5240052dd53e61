/**
 * 集中申报: the monthly batches of the streets the person reviews for (application_batches_for_me, with
 * counts), and one batch with its applications (masked), what is missing for filing
 * (batch_completeness) and the objections raised during its 公示.
 */
import { AppError, handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { reviewKeys } from './keys'

export async function getMyBatches(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('application_batches_for_me')
  if (error) handleError(error, status)
  return data ?? []
}

export type BatchSummary = Awaited<ReturnType<typeof getMyBatches>>[number]

export async function getBatch(batchId: string, client: AppSupabaseClient = getSupabase()) {
  const [batch, rows, problems, objections] = await Promise.all([
    client
      .from('application_batches')
      .select('id, street, month, cutoff_at, status, locked_at, publicity_until, filed_at, filed_by, closed_at, created_at')
      .eq('id', batchId)
      .maybeSingle(),
    client.rpc('batch_applications', { batch_id: batchId, max_rows: 500 }),
    client.rpc('batch_completeness', { batch_id: batchId }),
    client
      .from('batch_objections')
      .select('id, batch_id, application_id, raised_by, body, answer, answered_by, answered_at, created_at')
      .eq('batch_id', batchId)
      .order('created_at', { ascending: true })
      .limit(200),
  ])
  for (const result of [batch, rows, problems, objections]) if (result.error) handleError(result.error, result.status)
  if (!batch.data) throw new AppError({ code: 'not_found', status: 404, message: '没有找到这个批次，可能不属于您负责的街道', detail: `batch ${batchId}` })
  return { batch: batch.data, applications: rows.data ?? [], problems: problems.data ?? [], objections: objections.data ?? [] }
}

export type BatchDetail = Awaited<ReturnType<typeof getBatch>>
export type BatchApplication = BatchDetail['applications'][number]
export type BatchObjection = BatchDetail['objections'][number]

export function useMyBatches(enabled: boolean) {
  return useAppQuery({ key: reviewKeys.batches(), fetcher: () => getMyBatches(), enabled })
}

export function useBatch(batchId: string | null) {
  return useAppQuery({ key: reviewKeys.batch(batchId ?? ''), fetcher: () => getBatch(batchId!), enabled: batchId !== null, staleTime: 5_000 })
}
