/**
 * Records that the person accepted the privacy notice: an insert into the append-only consents table
 * (a POST, as the mini-program needs); a trigger copies the version onto their profile.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { profileKeys } from './keys'

export async function acceptPrivacyNotice(version: string, client: AppSupabaseClient = getSupabase()): Promise<void> {
  const { error, status } = await client.from('consents').insert({ purpose: 'privacy_notice', version })
  if (error) handleError(error, status)
}

/** Accepting the notice at onboarding; the profile (which carries the accepted version) is fetched again. */
export function useAcceptPrivacyNoticeMutation() {
  return useAppMutation<string, void>({
    mutate: (version) => acceptPrivacyNotice(version),
    errorToast: false,
    invalidates: () => [profileKeys.own()],
  })
}
