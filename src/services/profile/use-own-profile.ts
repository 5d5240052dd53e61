import { useAppQuery } from '../query/use-app-query'
import { profileKeys } from './keys'
import { getOwnProfile } from './own-profile-query'

/**
 * The signed-in person's profile; pass null while nobody is signed in (nothing is fetched). Always
 * fetched again when 我的 shows (staleTime 0): it may have changed on another phone or page.
 */
export function useOwnProfile(userId: string | null) {
  return useAppQuery({ key: profileKeys.own(), fetcher: () => (userId ? getOwnProfile(userId) : Promise.resolve(null)), enabled: userId !== null, staleTime: 0 })
}
