/**
 * A small query hook for the pages: runs a fetcher, tracks loading / error / data, refetches on demand,
 * and keeps the last data per query key in memory so a page revisited shows it at once while it
 * refreshes. Errors arrive as AppError with a Chinese message ready to show.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { toAppError, type AppError } from './errors'

export type QueryKey = readonly unknown[]

export interface QueryResult<T> {
  data: T | undefined
  error: AppError | null
  /** "loading" only while there is nothing to show yet; a refetch keeps the previous status. */
  status: 'loading' | 'success' | 'error'
  isFetching: boolean
  /** Fetches again; resolves when done, never rejects (the failure lands in `error`). */
  refetch: () => Promise<void>
}

const cache = new Map<string, unknown>()
/** Mounted hooks per key, told when a mutation puts fresh data in the cache (setQueryData). */
const watchers = new Map<string, Set<(data: unknown) => void>>()

/**
 * After a mutation that returned the new state of something (e.g. the saved profile), shows it at once
 * on every page that displays that key, without waiting for their next fetch.
 */
export function setQueryData<T>(key: QueryKey, data: T): void {
  const hash = JSON.stringify(key)
  cache.set(hash, data)
  for (const watcher of watchers.get(hash) ?? []) watcher(data)
}

/**
 * Forgets every cached result (when the signed-in person changes or signs out, so nothing of theirs
 * outlives their session in memory). Mounted pages keep what they show until they fetch again.
 */
export function clearQueryCache(): void {
  cache.clear()
}

export function useQuery<T>(key: QueryKey, fetcher: () => Promise<T>): QueryResult<T> {
  const hash = JSON.stringify(key)
  const [stored, setState] = useState<{ hash: string; data: T | undefined; error: AppError | null }>(() => ({
    hash,
    data: cache.get(hash) as T | undefined,
    error: null,
  }))
  // A new key (another person signed in, another item opened) never shows the previous key's data.
  const state = stored.hash === hash ? stored : { hash, data: cache.get(hash) as T | undefined, error: null }
  const [isFetching, setIsFetching] = useState(true)
  const fetcherRef = useRef(fetcher)
  fetcherRef.current = fetcher
  const latestRequest = useRef(0)
  const mounted = useRef(true)

  const refetch = useCallback(async () => {
    const request = ++latestRequest.current
    setIsFetching(true)
    try {
      const data = await fetcherRef.current()
      cache.set(hash, data)
      if (mounted.current && request === latestRequest.current) setState({ hash, data, error: null })
    } catch (error) {
      if (mounted.current && request === latestRequest.current) {
        setState((previous) => ({
          hash,
          data: previous.hash === hash ? previous.data : (cache.get(hash) as T | undefined),
          error: toAppError(error),
        }))
      }
    } finally {
      if (mounted.current && request === latestRequest.current) setIsFetching(false)
    }
  }, [hash])

  useEffect(() => {
    const watcher = (data: unknown) => setState({ hash, data: data as T, error: null })
    const set = watchers.get(hash) ?? new Set()
    set.add(watcher)
    watchers.set(hash, set)
    return () => {
      set.delete(watcher)
      if (set.size === 0) watchers.delete(hash)
    }
  }, [hash])

  useEffect(() => {
    mounted.current = true
    void refetch()
    return () => {
      mounted.current = false
    }
  }, [refetch])

  const status = state.error && state.data === undefined ? 'error' : state.data === undefined ? 'loading' : 'success'
  return { data: state.data, error: state.error, status, isFetching, refetch }
}
