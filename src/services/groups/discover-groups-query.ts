/** 找群 for 申请入群: open groups by name or district, with whether I am in each or have asked already. */
import { handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { groupKeys } from './keys'

export async function discoverGroups(query: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('discover_groups', { query: query.trim() })
  if (error) handleError(error, status)
  return data ?? []
}

export type DiscoveredGroup = Awaited<ReturnType<typeof discoverGroups>>[number]

export function useDiscoverGroups(query: string, enabled: boolean) {
  return useAppQuery({ key: groupKeys.discover(query.trim()), fetcher: () => discoverGroups(query), enabled })
}
