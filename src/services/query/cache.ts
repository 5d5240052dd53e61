/**
 * Reading and writing the query cache by domain key for the signed-in person, for mutations that know
 * the new state (setQueryData) or what they made stale (invalidate).
 */
import type { QueryKey } from '@tanstack/react-query'
import { getSession } from '../auth/session'
import { ANONYMOUS, personKey, type PersonScope } from './person-key'
import { getQueryClient } from './query-client'

export function currentPerson(): PersonScope {
  const state = getSession().getState()
  return state.status === 'signed-in' ? state.user.id : ANONYMOUS
}

/** Shows `data` at once wherever `key` is shown (for `person`, by default whoever is signed in now). */
export function setQueryData<T>(key: QueryKey, data: T, person: PersonScope = currentPerson()): void {
  getQueryClient().setQueryData(personKey(person, key), data)
}

export function getQueryData<T>(key: QueryKey, person: PersonScope = currentPerson()): T | undefined {
  return getQueryClient().getQueryData<T>(personKey(person, key))
}

/** Marks every query under `key` stale; those shown now fetch again at once, the rest when next shown. */
export async function invalidate(key: QueryKey, person: PersonScope = currentPerson()): Promise<void> {
  await getQueryClient().invalidateQueries({ queryKey: personKey(person, key) })
}
