/**
 * 我感兴趣 and the leads it makes: a worker registers interest in a project (with an optional note); the
 * database assigns the lead to a butler, notifies them and shows the worker's phone to that butler only
 * (my_project_leads). The butler marks a lead 已联系 or 已结束.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { postKeys } from './keys'

export type LeadStatus = 'open' | 'contacted' | 'closed'

export const LEAD_STATUS_LABELS: Record<LeadStatus, string> = {
  open: '待联系',
  contacted: '已联系',
  closed: '已结束',
}

/** What a worker reads after 我感兴趣 worked. */
export const INTEREST_SUCCESS = '已登记您的意向，创业管家会尽快与您联系'

export async function expressProjectInterest(postId: string, note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('express_project_interest', { post_id: postId, note: note.trim() || undefined })
  if (error) handleError(error, status)
  return data
}

export async function getMyLeads(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('my_project_leads', undefined, { get: true })
  if (error) handleError(error, status)
  return data
}

export type ProjectLead = Awaited<ReturnType<typeof getMyLeads>>[number]

export async function setLeadStatus(leadId: string, next: Exclude<LeadStatus, 'open'>, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('set_project_lead_status', { lead_id: leadId, status: next })
  if (error) handleError(error, status)
  return data
}

export function useInterestMutation() {
  return useAppMutation<{ postId: string; note: string }, Awaited<ReturnType<typeof expressProjectInterest>>>({
    mutate: ({ postId, note }) => expressProjectInterest(postId, note),
    invalidates: () => [postKeys.leads()],
  })
}

export function useMyLeads(enabled: boolean) {
  return useAppQuery({ key: postKeys.leads(), fetcher: () => getMyLeads(), enabled })
}

export function useLeadStatusMutation() {
  return useAppMutation<{ leadId: string; status: Exclude<LeadStatus, 'open'> }, Awaited<ReturnType<typeof setLeadStatus>>>({
    mutate: ({ leadId, status }) => setLeadStatus(leadId, status),
    successToast: '已更新',
    invalidates: () => [postKeys.leads()],
  })
}
