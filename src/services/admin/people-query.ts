/**
 * Everyone with an account and their role, for 角色管理: the full_profiles RPC returns every profile to
 * an admin (the profiles table gives only names). Admins first, then butlers, then workers, each by name.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getPeople(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .rpc('full_profiles', undefined, { get: true })
    .select('id, display_name, role, district, onboarded_at, avatar_path')
    .order('role', { ascending: false })
    .order('display_name')
    .limit(500)
  if (error) handleError(error, status)
  return data
}

export type Person = Awaited<ReturnType<typeof getPeople>>[number]
