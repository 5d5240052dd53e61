/**
 * 创业群 tab: the groups I am in, each with its latest message and how many I have not read
 * (`my_groups()`, one call; read state is kept on the server, so the count agrees on every device).
 * Groups with the newest activity come first.
 */
import { handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { groupKeys } from './keys'

export async function getMyGroups(client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('my_groups')
  if (error) handleError(error, status)
  return data ?? []
}

export type MyGroup = Awaited<ReturnType<typeof getMyGroups>>[number]

/** Unread counts change as others write: a short freshness so coming back to the tab shows them. */
const MY_GROUPS_STALE_MS = 5_000

export function useMyGroups(userId: string | null) {
  return useAppQuery({ key: groupKeys.mine(), fetcher: () => getMyGroups(), enabled: userId !== null, staleTime: MY_GROUPS_STALE_MS })
}
