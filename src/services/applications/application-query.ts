/**
 * The worker's applications as row-level security shows them (their own): 我的申报, one application with
 * its materials and timeline, and the live one for a programme (to resume instead of starting another).
 * The resident ID and bank account are not readable as columns (column privileges); the owner reads them
 * through application_sensitive, only where the wizard needs them to fill the form back in.
 */
import { AppError, handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { applicationKeys } from './keys'

/** Applications change while a butler reviews them: fresh for a short while only. */
const APPLICATION_STALE_MS = 5_000

export async function getMyApplications(userId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('applications')
    .select('id, programme_id, status, requested_amount, approved_amount, created_at, updated_at, submitted_at, programme:subsidy_programmes!inner(name)')
    .eq('applicant_id', userId)
    .order('updated_at', { ascending: false })
    .limit(100)
  if (error) handleError(error, status)
  return data
}

export type MyApplication = Awaited<ReturnType<typeof getMyApplications>>[number]

export function useMyApplications(userId: string | null) {
  return useAppQuery({ key: applicationKeys.mine(), fetcher: () => getMyApplications(userId!), enabled: userId !== null, staleTime: APPLICATION_STALE_MS })
}

const DETAIL_COLUMNS =
  'id, applicant_id, programme_id, group_id, status, consent_notice_version, consented_at, real_name, resident_id_masked, phone, bank_name, bank_account_masked, business_name, credit_code, credit_code_needs_review, registered_on, employees, requested_amount, approved_amount, supplement, reject_reason, submitted_at, decided_at, disbursed_at, disburse_note, version, created_at, updated_at, programme:subsidy_programmes!inner(id, code, name, default_amount, max_amount, opens_on, closes_on, materials), materials:application_materials(id, material_key, object_path, mime, size, created_at), events:application_events(id, actor_id, from_status, to_status, note, created_at)'

export async function getApplication(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.from('applications').select(DETAIL_COLUMNS).eq('id', applicationId).maybeSingle()
  if (error) handleError(error, status)
  if (!data) throw new AppError({ code: 'not_found', status: 404, message: '没有找到这份申报', detail: `application ${applicationId}` })
  // Materials oldest first, events in the order they happened (an embedded list's order is not guaranteed).
  return {
    ...data,
    materials: [...data.materials].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id)),
    events: [...data.events].sort((a, b) => a.created_at.localeCompare(b.created_at) || Number(a.id) - Number(b.id)),
  }
}

export type ApplicationDetail = Awaited<ReturnType<typeof getApplication>>

/**
 * 申报详情 is where the person looks to see whether anything happened (often right after a notification):
 * fetched afresh each time it opens or comes back into view, cached data shown meanwhile.
 */
export function useApplication(applicationId: string | null) {
  return useAppQuery({
    key: applicationKeys.detail(applicationId ?? ''),
    fetcher: () => getApplication(applicationId!),
    enabled: applicationId !== null,
    staleTime: 0,
  })
}

/**
 * The application the wizard opens: by id when one is known, or null when there is none yet (the
 * wizard then creates it under the id it chose). A missing row is not an error here.
 */
export async function findApplication(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.from('applications').select(DETAIL_COLUMNS).eq('id', applicationId).maybeSingle()
  if (error) handleError(error, status)
  return data
}

/** My application for a programme that is still going (not rejected or left unpaid), or null. */
export async function getLiveApplicationFor(userId: string, programmeId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('applications')
    .select('id, status')
    .eq('applicant_id', userId)
    .eq('programme_id', programmeId)
    .not('status', 'in', '(rejected,not_disbursed)')
    .order('created_at', { ascending: false })
    .limit(1)
    .maybeSingle()
  if (error) handleError(error, status)
  return data
}

export function useLiveApplicationFor(userId: string | null, programmeId: string | null) {
  return useAppQuery({
    key: applicationKeys.liveFor(programmeId ?? ''),
    fetcher: () => getLiveApplicationFor(userId!, programmeId!),
    enabled: userId !== null && programmeId !== null,
    staleTime: APPLICATION_STALE_MS,
  })
}

/** The full resident ID and bank account of my own application (no record is written for the owner). */
export async function getOwnSensitive(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('application_sensitive', { application_id: applicationId })
  if (error) handleError(error, status)
  const row = Array.isArray(data) ? data[0] : data
  return { resident_id: row?.resident_id ?? null, bank_account: row?.bank_account ?? null }
}
