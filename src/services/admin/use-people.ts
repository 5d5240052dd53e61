import { useAppQuery } from '../query/use-app-query'
import { adminKeys } from './keys'
import { getPeople } from './people-query'

/** Everyone with an account and their role (角色管理, admins only; the database refuses others). */
export function usePeople() {
  return useAppQuery({ key: adminKeys.people(), fetcher: () => getPeople() })
}
