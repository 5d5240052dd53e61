/**
 * One application as its reviewer reads it: the applicant's data with the resident ID and bank account
 * masked (authenticated has no SELECT on the full columns; 查看 asks application_sensitive, which
 * records the look), the programme with its materials and amounts, the attached files, and every status
 * change with who made it. Row-level security shows only applications of the butler's groups (all to
 * admins). The programme, group and applicant are left joins: a programme an admin has since switched
 * off (which butlers no longer read) must not hide the application itself.
 */
import { AppError, handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { reviewKeys } from './keys'

const COLUMNS =
  'id, applicant_id, programme_id, group_id, street, status, real_name, real_name_masked, resident_id_masked, phone, bank_name, bank_account_masked, business_name, credit_code, credit_code_needs_review, registered_on, employees, requested_amount, approved_amount, supplement, reject_reason, reviewer_id, batch_id, submitted_at, decided_at, disbursed_at, disburse_note, version, created_at, updated_at'

export async function getApplication(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('applications')
    .select(
      `${COLUMNS}, programme:subsidy_programmes(id, code, name, amount_rule, default_amount, max_amount, materials), group:groups(name), applicant:profiles!applications_applicant_id_fkey(display_name), materials:application_materials(id, material_key, object_path, mime, size, created_at), events:application_events(id, actor_id, from_status, to_status, note, detail, created_at)`,
    )
    .eq('id', applicationId)
    .maybeSingle()
  if (error) handleError(error, status)
  if (!data) throw new AppError({ code: 'not_found', status: 404, message: '没有找到这份申报，可能不属于您管理的创业群', detail: `application ${applicationId}` })
  return {
    ...data,
    materials: [...data.materials].sort((a, b) => a.created_at.localeCompare(b.created_at)),
    events: [...data.events].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id),
  }
}

export type ReviewApplication = Awaited<ReturnType<typeof getApplication>>

/** Names of the people in a timeline (actors), one request. */
export async function getPeopleNames(ids: readonly string[], client: AppSupabaseClient = getSupabase()): Promise<Record<string, string>> {
  if (ids.length === 0) return {}
  const { data, error, status } = await client.from('profiles').select('id, display_name').in('id', [...ids])
  if (error) handleError(error, status)
  return Object.fromEntries((data ?? []).map((p) => [p.id, p.display_name ?? '']))
}

export function useReviewApplication(applicationId: string | null) {
  return useAppQuery({
    key: reviewKeys.application(applicationId ?? ''),
    fetcher: async () => {
      const application = await getApplication(applicationId!)
      const actors = [...new Set(application.events.map((e) => e.actor_id).filter((id): id is string => !!id))]
      const names = await getPeopleNames(actors).catch(() => ({}) as Record<string, string>)
      return { ...application, actorNames: names }
    },
    enabled: applicationId !== null,
    staleTime: 5_000,
  })
}
