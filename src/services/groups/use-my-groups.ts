/** The 创业群 tab's list as a query (my-groups-query.ts fetches it). */
import { useAppQuery } from '../query/use-app-query'
import { groupKeys } from './keys'
import { getMyGroups } from './my-groups-query'

/** Unread counts change as others write: a short freshness so coming back to the tab shows them. */
const MY_GROUPS_STALE_MS = 5_000

export function useMyGroups(userId: string | null) {
  return useAppQuery({ key: groupKeys.mine(), fetcher: () => getMyGroups(), enabled: userId !== null, staleTime: MY_GROUPS_STALE_MS })
}
