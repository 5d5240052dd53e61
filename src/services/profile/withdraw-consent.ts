/**
 * 撤回同意: withdraws the caller's consent to the privacy notice through the withdraw_privacy_consent RPC,
 * which appends the withdrawal to the consent history and erases what was collected under it (profile
 * fields, phone number). Returns the profile as it is afterwards (not onboarded, no privacy version).
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function withdrawPrivacyConsent(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('withdraw_privacy_consent')
  if (error) handleError(error, status)
  return data
}
