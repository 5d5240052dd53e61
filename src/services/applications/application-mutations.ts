/**
 * Every change of an application is one RPC that checks who asks and whether the state allows it (the
 * database answers in Chinese when not: 该项已锁定, 请先上传…, 这个项目已经截止申报 …):
 *   save_application_draft     creates the draft under the id the phone chose, or saves the fields given
 *   record_application_consent the separate consent for sensitive data, with the notice's version
 *   attach/remove_application_material  a verified file in the applicant's folder as one of the materials
 *   submit_application         draft → 已提交, 待补正 → 已提交; a repeat is answered with the same row
 * Each success refreshes the application, 我的申报 and the programme's live application.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { applicationKeys } from './keys'

export async function saveApplicationDraft(
  applicationId: string,
  programmeId: string,
  fields: Record<string, string | number>,
  client: AppSupabaseClient = getSupabase(),
) {
  const { data, error, status } = await client.rpc('save_application_draft', { application_id: applicationId, programme_id: programmeId, fields })
  if (error) handleError(error, status)
  return data
}

export async function recordApplicationConsent(applicationId: string, noticeVersion: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('record_application_consent', { application_id: applicationId, notice_version: noticeVersion })
  if (error) handleError(error, status)
  return data
}

export async function attachApplicationMaterial(applicationId: string, materialKey: string, path: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('attach_application_material', { application_id: applicationId, material_key: materialKey, path })
  if (error) handleError(error, status)
  return data
}

export async function removeApplicationMaterial(materialId: string, client: AppSupabaseClient = getSupabase()) {
  const { error, status } = await client.rpc('remove_application_material', { material_id: materialId })
  if (error) handleError(error, status)
}

export async function submitApplication(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('submit_application', { application_id: applicationId })
  if (error) handleError(error, status)
  return data
}

const afterChange = (applicationId: string, programmeId?: string) => [
  applicationKeys.detail(applicationId),
  applicationKeys.mine(),
  ...(programmeId ? [applicationKeys.liveFor(programmeId)] : []),
]

/** Saves the fields of one step (or the 补正 fields); the page shows a failure next to the fields. */
export function useSaveDraftMutation(applicationId: string, programmeId: string) {
  return useAppMutation({
    mutate: (fields: Record<string, string | number>) => saveApplicationDraft(applicationId, programmeId, fields),
    invalidates: () => afterChange(applicationId, programmeId),
    errorToast: false,
  })
}

export function useConsentMutation(applicationId: string, programmeId: string) {
  return useAppMutation({
    mutate: async ({ noticeVersion, groupId }: { noticeVersion: string; groupId?: string }) => {
      // The draft first (under the id the phone chose; saving it again changes nothing), then the consent.
      // Someone in several groups chooses which street handles it (group_id, only while a draft).
      await saveApplicationDraft(applicationId, programmeId, groupId ? { group_id: groupId } : {})
      return recordApplicationConsent(applicationId, noticeVersion)
    },
    invalidates: () => afterChange(applicationId, programmeId),
    errorToast: false,
  })
}

export function useSubmitMutation(applicationId: string, programmeId?: string) {
  return useAppMutation({
    mutate: () => submitApplication(applicationId),
    invalidates: () => afterChange(applicationId, programmeId),
    errorToast: false,
  })
}
