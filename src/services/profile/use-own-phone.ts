import { useAppQuery } from '../query/use-app-query'
import { profileKeys } from './keys'
import { getOwnPhone } from './phone-query'

/**
 * The signed-in person's bound phone number; pass null while nobody is signed in. Always
 * fetched again when 我的 shows (staleTime 0): it may have changed on another phone or page.
 */
export function useOwnPhone(userId: string | null) {
  return useAppQuery({ key: profileKeys.phone(), fetcher: () => (userId ? getOwnPhone(userId) : Promise.resolve(null)), enabled: userId !== null, staleTime: 0 })
}
