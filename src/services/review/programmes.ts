/**
 * 补贴项目管理 (admins): the catalogue of subsidy programmes with their amount rule, amounts, open period,
 * eligibility rules and required materials, saved through save_subsidy_programme (a new one when no id).
 * The form's values and checks are pure functions in ./forms.ts; the page only shows them.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { reviewKeys } from './keys'
import { programmeFromForm, type ProgrammeForm } from './forms'

export async function getProgrammes(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('subsidy_programmes')
    .select('id, code, name, summary, description, amount_rule, default_amount, max_amount, opens_on, closes_on, eligibility, materials, sort_order, active, updated_at')
    .order('sort_order', { ascending: true })
    .order('name', { ascending: true })
    .limit(200)
  if (error) handleError(error, status)
  return data ?? []
}

export type ProgrammeRow = Awaited<ReturnType<typeof getProgrammes>>[number]

export async function saveProgramme(programme: Record<string, unknown>, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('save_subsidy_programme', { programme: programme as unknown as never })
  if (error) handleError(error, status)
  return data
}

export function useProgrammes(enabled: boolean) {
  return useAppQuery({ key: reviewKeys.programmes(), fetcher: () => getProgrammes(), enabled })
}

export function useSaveProgrammeMutation() {
  return useAppMutation({ mutate: (form: ProgrammeForm) => saveProgramme(programmeFromForm(form)), invalidates: () => [reviewKeys.programmes()], successToast: '已保存' })
}
