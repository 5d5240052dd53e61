/**
 * The one Supabase client of the app, typed with the generated database types.
 *
 * - H5 uses the browser's fetch and WebSocket.
 * - The mini-program (TARO_ENV=weapp) has neither, nor URL, Headers or AbortController: the missing web
 *   globals are installed from ./polyfills before the client is built, requests go through Taro.request
 *   and Realtime through Taro.connectSocket.
 * - Auth is not supabase-js's: our own JWT (from the wechat-login edge function) is handed over through
 *   the `accessToken` option by the session (services/auth), so no auth client, no localStorage and no
 *   session refresh timers exist. The fetch given to supabase-js renews a refused token once and retries
 *   (./auth-fetch.ts).
 *
 * The client is created on first use, so a build without configuration shows an error state on the page
 * instead of failing while the app starts.
 */
import Taro from '@tarojs/taro'
import {
  createClient,
  type RealtimeClientOptions,
  type SupabaseClient,
  type SupabaseClientOptions,
} from '@supabase/supabase-js'
import { getAccessToken, getSession } from '../auth/session'
import { AppError, ERROR_MESSAGES } from '../errors'
import { createAuthFetch } from './auth-fetch'
import type { Database } from './database.types'
import { getPlatformFetch, getSupabaseTarget } from './platform-fetch'
import { createTaroWebSocket, type TaroConnectSocket } from './taro-websocket'

export type AppSupabaseClient = SupabaseClient<Database>

function realtimeOptions(): SupabaseClientOptions<'public'>['realtime'] {
  if (process.env.TARO_ENV !== 'weapp') return undefined
  return {
    // Structurally what Phoenix uses; realtime-js types its events with the DOM's Event classes.
    transport: createTaroWebSocket(Taro.connectSocket as unknown as TaroConnectSocket) as unknown as NonNullable<
      RealtimeClientOptions['transport']
    >,
  }
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
  const realtime = realtimeOptions()
  client = createClient<Database>(target.url, target.anonKey, {
    // Every request (REST, RPC, functions, storage) gets one silent re-login and retry on a 401.
    global: {
      fetch: createAuthFetch(platformFetch, {
        anonKey: target.anonKey,
        renewAccessToken: (rejected) => session.renewAccessToken(rejected),
        lastSignInError: () => session.lastSignInError(),
      }),
    },
    ...(realtime ? { realtime } : {}),
    accessToken: getAccessToken,
  })
  return client
}
