/** The signed-in person's own profile, for 我的 and onboarding. Row-level security lets people read their own row. */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getOwnProfile(userId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('profiles')
    .select('id, display_name, role, district, former_employer, displaced_on, startup_intention, privacy_version, onboarded_at')
    .eq('id', userId)
    .single()
  if (error) handleError(error, status)
  return data
}

export type OwnProfile = Awaited<ReturnType<typeof getOwnProfile>>
