/**
 * The subsidy programmes on offer (active ones; anyone, signed in or not, reads them), in the admins'
 * order, and one programme with its rules and materials. The tab page lists them; the rest of the
 * application pages live in the apply subpackage.
 */
import { AppError, handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { applicationKeys } from './keys'

/** The catalogue changes a few times a year. */
const PROGRAMMES_STALE_MS = 5 * 60_000

export async function getProgrammes(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('subsidy_programmes')
    .select('id, code, name, summary, amount_rule, default_amount, max_amount, opens_on, closes_on')
    .eq('active', true)
    .order('sort_order', { ascending: true })
    .order('name', { ascending: true })
  if (error) handleError(error, status)
  return data
}

export type ProgrammeSummary = Awaited<ReturnType<typeof getProgrammes>>[number]

export function useProgrammes() {
  return useAppQuery({ key: applicationKeys.programmes(), fetcher: () => getProgrammes(), staleTime: PROGRAMMES_STALE_MS })
}

export async function getProgramme(programmeId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('subsidy_programmes')
    .select('id, code, name, summary, description, amount_rule, default_amount, max_amount, opens_on, closes_on, eligibility, materials, active')
    .eq('id', programmeId)
    .maybeSingle()
  if (error) handleError(error, status)
  if (!data) throw new AppError({ code: 'not_found', status: 404, message: '没有找到这个补贴项目，可能已经下线', detail: `programme ${programmeId}` })
  return data
}

export type Programme = Awaited<ReturnType<typeof getProgramme>>

export function useProgramme(programmeId: string | null) {
  return useAppQuery({
    key: applicationKeys.programme(programmeId ?? ''),
    fetcher: () => getProgramme(programmeId!),
    enabled: programmeId !== null,
    staleTime: PROGRAMMES_STALE_MS,
  })
}

/** Whether a programme takes applications today (open period; a date from the database is a calendar day). */
export function programmeOpen(programme: { opens_on: string | null; closes_on: string | null }, today: string): boolean {
  if (programme.opens_on && programme.opens_on > today) return false
  if (programme.closes_on && programme.closes_on < today) return false
  return true
}
