/**
 * Saves the profile through the complete_onboarding RPC: the first time at onboarding (which marks the
 * person onboarded), and again from 编辑资料. It refuses with 请先阅读并同意隐私保护指引 (hint
 * privacy_notice_required) until the privacy notice is accepted. Returns the saved profile. An optional
 * field left empty is not sent, so the database clears it.
 */
import { getSession } from '../auth/session'
import { handleError } from '../errors'
import { setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { profileKeys } from './keys'
import { trimField } from './validate-onboarding'

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
    display_name: trimField(input.displayName),
    district: trimField(input.district),
    ...(trimField(input.formerEmployer) ? { former_employer: trimField(input.formerEmployer) } : {}),
    ...(input.displacedOn ? { displaced_on: input.displacedOn } : {}),
    ...(trimField(input.startupIntention) ? { startup_intention: trimField(input.startupIntention) } : {}),
  })
  if (error) handleError(error, status)
  return data
}

export type SavedProfile = Awaited<ReturnType<typeof completeOnboarding>>

/**
 * Saving the profile form: the saved profile shows at once on 我的 and in the session (name, onboarded).
 * The form shows a refusal in place, next to the button.
 */
export function useCompleteOnboardingMutation() {
  return useAppMutation<OnboardingInput, SavedProfile>({
    mutate: (input) => completeOnboarding(input),
    errorToast: false,
    onSuccess: (saved) => {
      setQueryData(profileKeys.own(), saved)
      getSession().updateUser({ display_name: saved.display_name, onboarded: true })
    },
  })
}
