/**
 * The thin hook every `use…` query of src/services/<domain>/ is built on: TanStack Query's useQuery with
 * the app's rules added —
 * - the key is the domain key from keys.ts under the signed-in person (person-key.ts); nothing is
 *   fetched while the session is still starting or signing in, so no query runs as "nobody" first;
 * - the page coming back into view (useDidShow, e.g. back from a sub-page) fetches again what is stale,
 *   and a page hidden under another does not refetch on focus or reconnect;
 * - the error is always an AppError whose message is Chinese and says what to do next.
 */
import { useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query'
import { useSession } from '../auth/use-session'
import { toAppError, type AppError } from '../errors'
import { ANONYMOUS, personKey } from './person-key'

export interface AppQueryOptions<T> {
  /** The domain key (from the domain's keys.ts), without the person. */
  key: QueryKey
  /** The plain fetcher; it throws an AppError (handleError) on failure. */
  fetcher: () => Promise<T>
  /** false: do not fetch (e.g. nobody signed in); the query stays without data. */
  enabled?: boolean
  /** How long the data counts as fresh; the client's default (query-client.ts) when not given. */
  staleTime?: number
}

export interface AppQueryResult<T> {
  data: T | undefined
  error: AppError | null
  /** 'loading' while there is nothing to show yet (fetching, waiting for the network, or not enabled). */
  status: 'loading' | 'success' | 'error'
  isFetching: boolean
  /** Fetches again; resolves when done, never rejects (the failure lands in `error`). */
  refetch: () => Promise<void>
}

/** Whether the page this component is on is in view (mini-program pages stay mounted under others). */
function usePageVisible(): boolean {
  const [visible, setVisible] = useState(true)
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))
  return visible
}

export function useAppQuery<T>({ key, fetcher, enabled = true, staleTime }: AppQueryOptions<T>): AppQueryResult<T> {
  const session = useSession()
  const settled = session.status !== 'starting' && session.status !== 'signing-in'
  const person = session.status === 'signed-in' ? session.user.id : ANONYMOUS
  const visible = usePageVisible()
  const client = useQueryClient()
  const queryKey = personKey(person, key)
  // A hidden page still loads what it has never had (a tab page behind the one on top shows it at once
  // when opened), but does not refetch on focus or reconnect.
  const subscribed = visible || client.getQueryData(queryKey) === undefined
  const query = useQuery({
    queryKey,
    queryFn: async () => {
      try {
        return await fetcher()
      } catch (error) {
        throw toAppError(error)
      }
    },
    enabled: enabled && settled,
    // Only when given: an explicit undefined would replace the client's default with 0.
    ...(staleTime === undefined ? {} : { staleTime }),
    // Hidden: no refetch on focus or reconnect; shown again: refetches if stale (refetchOnMount).
    subscribed,
  })
  const error = query.error ? toAppError(query.error) : null
  const status = query.data !== undefined ? 'success' : query.status === 'error' ? 'error' : 'loading'
  return {
    data: query.data,
    error,
    status,
    isFetching: query.isFetching,
    refetch: async () => {
      await query.refetch()
    },
  }
}
