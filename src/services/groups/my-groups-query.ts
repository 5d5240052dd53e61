/**
 * 创业群 tab: the groups I am in, each with its latest message and how many I have not read
 * (`my_groups()`, one call; read state is kept on the server, so the count agrees on every device).
 * Groups with the newest activity come first.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function getMyGroups(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('my_groups')
  if (error) handleError(error, status)
  return data ?? []
}

export type MyGroup = Awaited<ReturnType<typeof getMyGroups>>[number]
