import { useQuery } from '../use-query'
import { adminKeys } from './keys'
import { getPeople } from './people-query'

export function usePeople() {
  return useQuery(adminKeys.people(), () => getPeople())
}
