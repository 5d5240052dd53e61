/** The phone number WeChat verified for the signed-in person (profile_contacts), or null when none is bound. */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getOwnPhone(userId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.from('profile_contacts').select('phone, verified_at').eq('user_id', userId).maybeSingle()
  if (error) handleError(error, status)
  return data
}

export type OwnPhone = Awaited<ReturnType<typeof getOwnPhone>>
