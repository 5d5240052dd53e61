/**
 * 走访记录: the incubation-base visits butlers log (date, base, people met, notes, photos in the private
 * bucket visit-photos under `<butler>/<visit id>/`), and the applications collected there. Written only
 * through save_visit and link_visit_application; read by the street's butlers and admins.
 *
 * A new visit's id is chosen here (a secure UUID) before anything is saved, so its photos have their
 * folder at once and a save retried after a timeout updates the same visit.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import type { VisitFields } from './forms'
import { reviewKeys } from './keys'

export async function getVisits(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('incubation_visits')
    .select('id, butler_id, street, base_name, visited_on, people_met, notes, photo_paths, created_at, updated_at, butler:profiles!incubation_visits_butler_id_fkey(display_name)')
    .order('visited_on', { ascending: false })
    .order('created_at', { ascending: false })
    .limit(100)
  if (error) handleError(error, status)
  return data ?? []
}

export type VisitRow = Awaited<ReturnType<typeof getVisits>>[number]

export async function getVisit(visitId: string, client: AppSupabaseClient = getSupabase()) {
  const [visit, links] = await Promise.all([
    client
      .from('incubation_visits')
      .select('id, butler_id, street, base_name, visited_on, people_met, notes, photo_paths, created_at, updated_at')
      .eq('id', visitId)
      .maybeSingle(),
    client.from('visit_applications').select('application_id').eq('visit_id', visitId).limit(500),
  ])
  if (visit.error) handleError(visit.error, visit.status)
  if (links.error) handleError(links.error, links.status)
  return { visit: visit.data, linked: (links.data ?? []).map((l) => l.application_id) }
}

export type VisitDetail = Awaited<ReturnType<typeof getVisit>>


export async function saveVisit(visitId: string, fields: VisitFields, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('save_visit', {
    visit_id: visitId,
    fields: { ...fields, base_name: fields.base_name.trim(), people_met: fields.people_met.trim(), notes: fields.notes.trim() } as unknown as never,
  })
  if (error) handleError(error, status)
  return data
}

export async function linkVisitApplication(visitId: string, applicationId: string, linked: boolean, client: AppSupabaseClient = getSupabase()) {
  const { error, status } = await client.rpc('link_visit_application', { visit_id: visitId, application_id: applicationId, linked })
  if (error) handleError(error, status)
}

export function useVisits(enabled: boolean) {
  return useAppQuery({ key: reviewKeys.visits(), fetcher: () => getVisits(), enabled })
}

export function useVisit(visitId: string | null, enabled: boolean) {
  return useAppQuery({ key: reviewKeys.visit(visitId ?? ''), fetcher: () => getVisit(visitId!), enabled: enabled && visitId !== null })
}

export function useSaveVisitMutation(visitId: string) {
  return useAppMutation({
    mutate: (fields: VisitFields) => saveVisit(visitId, fields),
    invalidates: () => [reviewKeys.visits(), reviewKeys.visit(visitId)],
    successToast: '已保存',
  })
}

export function useLinkVisitMutation(visitId: string) {
  return useAppMutation({
    mutate: ({ applicationId, linked }: { applicationId: string; linked: boolean }) => linkVisitApplication(visitId, applicationId, linked),
    invalidates: () => [reviewKeys.visit(visitId)],
  })
}
