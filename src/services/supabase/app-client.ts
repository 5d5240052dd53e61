/**
 * The app's Supabase client, put together from the packages supabase-js is made of (see ./client.ts for
 * why): PostgREST's client for from/rpc, Storage and Functions loaded on first use, each request with
 * the headers supabase-js sends. Free of Taro and of the session, so it is tested on its own
 * (tests/unit/supabase-client.test.ts); ./client.ts builds the app's one instance over the platform fetch.
 */
import { PostgrestClient } from '@supabase/postgrest-js'
import type { FunctionsClient } from '@supabase/functions-js'
import type { StorageClient } from '@supabase/storage-js'
import type { Database } from './database.types'

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

