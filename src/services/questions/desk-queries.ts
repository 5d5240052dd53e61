/**
 * The butler's workbench: 我的待办 (open questions in my groups that are mine, overdue or unassigned,
 * soonest due first), the per-group summary (open, overdue, unassigned now; this week's share answered
 * within target and median first-answer time), and canned replies (常用回复: mine and my group's).
 */
import { handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

export async function getButlerQueue(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('butler_queue')
  if (error) handleError(error, status)
  return data ?? []
}

export type QueueItem = Awaited<ReturnType<typeof getButlerQueue>>[number]


export async function getDeskSummary(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('desk_summary', {})
  if (error) handleError(error, status)
  return data ?? []
}

export type DeskSummaryRow = Awaited<ReturnType<typeof getDeskSummary>>[number]

export async function getCannedReplies(groupId: string, client: AppSupabaseClient = getSupabase()) {
  // Row-level security leaves exactly mine and this group's shared ones... and other groups' shared ones: filter.
  const { data, error, status } = await client
    .from('canned_replies')
    .select('id, title, body, group_id, owner_id')
    .or(`group_id.eq.${groupId},owner_id.not.is.null`)
    .order('title', { ascending: true })
    .limit(200)
  if (error) handleError(error, status)
  return data
}

export type CannedReply = Awaited<ReturnType<typeof getCannedReplies>>[number]

const QUEUE_STALE_MS = 10_000

export function useButlerQueue(enabled: boolean) {
  return useAppQuery({ key: questionKeys.queue(), fetcher: () => getButlerQueue(), enabled, staleTime: QUEUE_STALE_MS })
}

export function useDeskSummary(enabled: boolean) {
  return useAppQuery({ key: questionKeys.summary(), fetcher: () => getDeskSummary(), enabled })
}

export function useCannedReplies(groupId: string | null, enabled: boolean) {
  return useAppQuery({ key: questionKeys.canned(groupId ?? ''), fetcher: () => getCannedReplies(groupId!), enabled: enabled && groupId !== null })
}
