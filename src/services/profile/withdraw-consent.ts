/**
 * 撤回同意: withdraws the caller's consent to the privacy notice through the withdraw_privacy_consent RPC,
 * which appends the withdrawal to the consent history and erases what was collected under it (profile
 * fields, phone number). Returns the profile as it is afterwards (not onboarded, no privacy version).
 */
import { getSession } from '../auth/session'
import { handleError } from '../errors'
import { setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { profileKeys } from './keys'

export async function withdrawPrivacyConsent(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('withdraw_privacy_consent')
  if (error) handleError(error, status)
  return data
}

/**
 * 撤回同意's confirmation: the emptied profile and the erased phone show at once, and the session knows
 * the person is no longer onboarded. The page shows a refusal in place.
 */
export function useWithdrawConsentMutation() {
  return useAppMutation<void, Awaited<ReturnType<typeof withdrawPrivacyConsent>>>({
    mutate: () => withdrawPrivacyConsent(),
    errorToast: false,
    successToast: '已撤回同意',
    onSuccess: (emptied) => {
      setQueryData(profileKeys.own(), emptied)
      setQueryData(profileKeys.phone(), null)
      getSession().updateUser({ display_name: emptied.display_name, onboarded: false })
    },
  })
}
