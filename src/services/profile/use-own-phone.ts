import { useQuery } from '../use-query'
import { profileKeys } from './keys'
import { getOwnPhone } from './phone-query'

/** The signed-in person's bound phone number; pass null while nobody is signed in. */
export function useOwnPhone(userId: string | null) {
  return useQuery(profileKeys.phone(userId ?? ''), () => (userId ? getOwnPhone(userId) : Promise.resolve(null)))
}
