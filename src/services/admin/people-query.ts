/**
 * Everyone with an account and their role, for 角色管理. Staff may read every profile (row-level
 * security); admins first, then butlers, then workers, each by name.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getPeople(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('profiles')
    .select('id, display_name, role, district, onboarded_at')
    .order('role', { ascending: false })
    .order('display_name')
    .limit(500)
  if (error) handleError(error, status)
  return data
}

export type Person = Awaited<ReturnType<typeof getPeople>>[number]
