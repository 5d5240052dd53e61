/**
 * Saves the first profile and marks the person onboarded, through the complete_onboarding RPC (which
 * refuses with 请先阅读并同意隐私保护指引 until the privacy notice is accepted). Returns the saved profile.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export interface OnboardingInput {
  displayName: string
  district: string
  formerEmployer: string
  /** YYYY-MM-DD, or '' when not given. */
  displacedOn: string
  startupIntention: string
}

export async function completeOnboarding(input: OnboardingInput, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('complete_onboarding', {
    display_name: input.displayName.trim(),
    district: input.district.trim(),
    ...(input.formerEmployer.trim() ? { former_employer: input.formerEmployer.trim() } : {}),
    ...(input.displacedOn ? { displaced_on: input.displacedOn } : {}),
    ...(input.startupIntention.trim() ? { startup_intention: input.startupIntention.trim() } : {}),
  })
  if (error) handleError(error, status)
  return data
}
