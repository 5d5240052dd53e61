/**
 * The app's one TanStack Query client and its defaults. Every query and mutation of the pages goes
 * through it (see use-app-query.ts and use-app-mutation.ts); its cache is emptied whenever the
 * signed-in person changes (services/auth/session.ts), and every key carries the person it belongs to
 * (person-key.ts), so nothing cached for one person is ever shown to the next.
 *
 * Nothing here touches `window` or `document`: which events mean "the app is in front" and "the network
 * is back" come from the mini-program (platform-events.ts).
 */
import { environmentManager, QueryClient } from '@tanstack/react-query'
import type { AppErrorCode } from '../errors'
import { toAppError } from '../errors'
import { installMissingWebGlobals } from '../supabase/polyfills/install'

/** Failures another try may cure (a weak network, a busy server); the rest need the person to act. */
const RETRYABLE: ReadonlySet<AppErrorCode> = new Set(['network', 'timeout', 'unavailable'])

/** At most this many retries of a query that failed for a retryable reason (1 s, then 2 s later). */
export const MAX_QUERY_RETRIES = 2

/** Data younger than this is shown without fetching again when a page shows or the app comes back. */
export const STALE_TIME_MS = 30_000

/** How long data nobody shows stays in memory, ready for the next visit. */
export const GC_TIME_MS = 5 * 60_000

export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < MAX_QUERY_RETRIES && RETRYABLE.has(toAppError(error).code)
}

export function createAppQueryClient(): QueryClient {
  // query-core decides "server" by `typeof window === 'undefined'`, true in the mini-program, where it
  // would then keep data forever and never retry. This app never renders on a server.
  environmentManager.setIsServer(() => false)
  // Every fetch gets an AbortController (for cancellation) before any request module has run.
  if (process.env.TARO_ENV === 'weapp') installMissingWebGlobals()
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: STALE_TIME_MS,
        gcTime: GC_TIME_MS,
        retry: shouldRetry,
        // Focus is the app or page coming back into view (platform-events.ts), not a browser tab.
        refetchOnWindowFocus: true,
        refetchOnReconnect: true,
      },
      mutations: {
        // A change is never sent twice behind the person's back.
        retry: false,
      },
    },
  })
}

let client: QueryClient | null = null

export function getQueryClient(): QueryClient {
  client ??= createAppQueryClient()
  return client
}

/**
 * Forgets every query and mutation (sign-out, another person signing in). Queries still shown move to
 * keys of the new person (person-key.ts) and fetch again, so they never show the previous data.
 */
export function clearQueryCache(): void {
  client?.cancelQueries().catch(() => undefined)
  client?.clear()
}
