/**
 * The one Supabase client of the app, typed with the generated database types.
 *
 * It is put together from the packages supabase-js itself is made of, so the first screen carries only
 * what it uses:
^ * - `from` / `rpc`: @supabase/postgrest-js's PostgrestClient, at once (every page reads data);
 * - `storage` and `functions`: @supabase/storage-js and @supabase/functions-js, loaded the first time a
 *   file or an edge function is used (H5: a separate chunk; weapp bundles it, as Taro turns import()
 *   into require there). Every call of theirs is asynchronous anyway, so the lazy load is invisible to
 *   callers: `client.storage.from(bucket).upload(…)` and `client.functions.invoke(…)` read as with
 *   supabase-js.
 * Left out: supabase-js's auth client (our own JWT comes from the wechat-login edge function and reaches
 * every request through the session, see below) and Realtime (nothing subscribes; chat polls). On H5
 * that keeps about 50 KB gzip of JavaScript off the first screen (budgets.json).
 *
 * - H5 uses the browser's fetch.
 * - The mini-program (TARO_ENV=weapp) has no fetch, URL, Headers or AbortController: the missing web
 *   globals are installed from ./polyfills before the client is built and requests go through
 *   Taro.request (./platform-fetch.ts).
 * - Every request carries the anon key as `apikey` and, as `Authorization`, the signed-in person's token
 *   (or the anon key), exactly as supabase-js sends them; the fetch underneath renews a refused token
 *   once and retries (./auth-fetch.ts).
 *
 * The client is created on first use, so a build without configuration shows an error state on the page
 * instead of failing while the app starts.
 */
import { PostgrestClient } from '@supabase/postgrest-js'
import type { FunctionsClient } from '@supabase/functions-js'
import type { StorageClient } from '@supabase/storage-js'
import { getAccessToken, getSession } from '../auth/session'
import { AppError, ERROR_MESSAGES } from '../errors'
import { createAuthFetch } from './auth-fetch'
import type { Database } from './database.types'
import { getPlatformFetch, getSupabaseTarget } from './platform-fetch'

type StorageBucketApi = ReturnType<StorageClient['from']>

/** The bucket operations of supabase-js's storage client that answer a promise (all but getPublicUrl and download). */
export const LAZY_BUCKET_METHODS = [
  'upload',
  'uploadToSignedUrl',
  'createSignedUploadUrl',
  'update',
  'move',
  'copy',
  'createSignedUrl',
  'createSignedUrls',
  'info',
  'exists',
  'remove',
  'list',
] as const satisfies ReadonlyArray<keyof StorageBucketApi>

export type AppStorageBucket = Pick<StorageBucketApi, (typeof LAZY_BUCKET_METHODS)[number]>

/** `client.storage`: supabase-js's `storage.from(bucket)` with its asynchronous operations. */
export interface AppStorage {
  from(bucket: string): AppStorageBucket
}

/** `client.functions`: supabase-js's `functions.invoke`. */
export interface AppFunctions {
  invoke: FunctionsClient['invoke']
}

type AppRestClient = PostgrestClient<Database>

/**
 * What the app's data access uses of a Supabase client. A supabase-js `SupabaseClient<Database>` has
 * the same shape, so tests hand one in where a service takes a client.
 */
export interface AppSupabaseClient {
  from: AppRestClient['from']
  rpc: AppRestClient['rpc']
  storage: AppStorage
  functions: AppFunctions
}

/** supabase-js's request headers: the project's key, and the person's token (the key when signed out). */
export function withApiKey(fetchImpl: typeof fetch, anonKey: string, accessToken: () => Promise<string | null>): typeof fetch {
  return async (input, init) => {
    const token = await accessToken()
    const headers = new Headers(init?.headers)
    if (!headers.has('apikey')) headers.set('apikey', anonKey)
    if (!headers.has('Authorization')) headers.set('Authorization', `Bearer ${token ?? anonKey}`)
    return fetchImpl(input, { ...init, headers })
  }
}

function lazyStorage(load: () => Promise<StorageClient>): AppStorage {
  return {
    from(bucket) {
      const api = {} as Record<string, (...args: unknown[]) => Promise<unknown>>
      for (const method of LAZY_BUCKET_METHODS) {
        api[method] = async (...args) => {
          const real = (await load()).from(bucket) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
          return real[method](...args)
        }
      }
      return api as unknown as AppStorageBucket
    },
  }
}

/** Builds the client for a project URL (without a trailing slash) over the given fetch. */
export function createAppClient(url: string, anonKey: string, fetchImpl: typeof fetch, accessToken: () => Promise<string | null>): AppSupabaseClient {
  const keyed = withApiKey(fetchImpl, anonKey, accessToken)
  const rest: AppRestClient = new PostgrestClient<Database>(`${url}/rest/v1`, { fetch: keyed })

  let storage: Promise<StorageClient> | null = null
  const loadStorage = (): Promise<StorageClient> => {
    storage ??= import('@supabase/storage-js').then(({ StorageClient: Client }) => new Client(`${url}/storage/v1`, {}, keyed))
    // A failed load (offline) is tried again next time.
    storage.catch(() => (storage = null))
    return storage
  }
  let functions: Promise<FunctionsClient> | null = null
  const loadFunctions = (): Promise<FunctionsClient> => {
    functions ??= import('@supabase/functions-js').then(({ FunctionsClient: Client }) => new Client(`${url}/functions/v1`, { customFetch: keyed }))
    functions.catch(() => (functions = null))
    return functions
  }

  // The REST client itself, with the two lazy ones beside it: its from/rpc/schema keep their types.
  const extras: Pick<AppSupabaseClient, 'storage' | 'functions'> = {
    storage: lazyStorage(loadStorage),
    functions: { invoke: (async (name: string, options?: object) => (await loadFunctions()).invoke(name, options)) as FunctionsClient['invoke'] },
  }
  return Object.assign(rest, extras)
}

let client: AppSupabaseClient | null = null

export function getSupabase(): AppSupabaseClient {
  if (client) return client
  const target = getSupabaseTarget()
  if (!target) {
    throw new AppError({
      code: 'config',
      message: ERROR_MESSAGES.config,
      detail: 'TARO_APP_SUPABASE_URL or TARO_APP_SUPABASE_ANON_KEY was empty at build time (see .env.example)',
    })
  }
  // First: on weapp this installs the web globals the rest needs.
  const platformFetch = getPlatformFetch()
  const session = getSession()
  // Every request (REST, RPC, functions, storage) gets one silent re-login and retry on a 401.
  const authFetch = createAuthFetch(platformFetch, {
    anonKey: target.anonKey,
    renewAccessToken: (rejected) => session.renewAccessToken(rejected),
    lastSignInError: () => session.lastSignInError(),
  })
  client = createAppClient(target.url, target.anonKey, authFetch, getAccessToken)
  return client
}
