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
import { getAccessToken, getSession } from '../auth/session'
import { AppError, ERROR_MESSAGES } from '../errors'
import { createAppClient, type AppSupabaseClient } from './app-client'
import { createAuthFetch } from './auth-fetch'
import { getPlatformFetch, getSupabaseTarget } from './platform-fetch'

export type { AppFunctions, AppStorage, AppStorageBucket, AppSupabaseClient } from './app-client'

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
