import { useAppQuery } from '../query/use-app-query'
import { profileKeys } from './keys'
import { getOwnPhone } from './phone-query'

/** The signed-in person's bound phone number; pass null while nobody is signed in. */
export function useOwnPhone(userId: string | null) {
  return useAppQuery({ key: profileKeys.phone(), fetcher: () => (userId ? getOwnPhone(userId) : Promise.resolve(null)), enabled: userId !== null })
}
