/**
 * The signed-in person's own profile, for 我的 and onboarding. The profiles table gives only names, so
 * the fields come from the full_profiles RPC, which returns the profiles the caller may read in full.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getOwnProfile(userId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .rpc('full_profiles', undefined, { get: true })
    .select('id, display_name, role, district, former_employer, displaced_on, startup_intention, privacy_version, onboarded_at, avatar_path')
    .eq('id', userId)
    .single()
  if (error) handleError(error, status)
  return data
}

export type OwnProfile = Awaited<ReturnType<typeof getOwnProfile>>
