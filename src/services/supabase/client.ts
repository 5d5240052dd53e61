/**
 * The one Supabase client of the app, typed with the generated database types.
 *
 * - H5 uses the browser's fetch and WebSocket.
 * - The mini-program (TARO_ENV=weapp) has neither, nor URL, Headers or AbortController: the missing web
 *   globals are installed from ./polyfills before the client is built, requests go through Taro.request
 *   and Realtime through Taro.connectSocket.
 * - Auth is not supabase-js's: our own JWT (from the wechat-login edge function) is handed over through
 *   the `accessToken` option, so no auth client, no localStorage and no session refresh timers exist.
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
import { getAccessToken } from '../auth/session'
import { AppError, ERROR_MESSAGES } from '../errors'
import type { Database } from './database.types'
import { installMissingWebGlobals } from './polyfills/install'
import { createTaroFetch, type TaroRequest } from './taro-fetch'
import { createTaroWebSocket, type TaroConnectSocket } from './taro-websocket'

export type AppSupabaseClient = SupabaseClient<Database>

function platformOptions(): SupabaseClientOptions<'public'> {
  if (process.env.TARO_ENV === 'weapp') {
    installMissingWebGlobals()
    return {
      global: { fetch: createTaroFetch(Taro.request as unknown as TaroRequest) },
      realtime: {
        // Structurally what Phoenix uses; realtime-js types its events with the DOM's Event classes.
        transport: createTaroWebSocket(Taro.connectSocket as unknown as TaroConnectSocket) as unknown as NonNullable<
          RealtimeClientOptions['transport']
        >,
      },
    }
  }
  return {}
}

let client: AppSupabaseClient | null = null

export function getSupabase(): AppSupabaseClient {
  if (client) return client
  const url = process.env.TARO_APP_SUPABASE_URL
  const anonKey = process.env.TARO_APP_SUPABASE_ANON_KEY
  if (!url || !anonKey) {
    throw new AppError({
      code: 'config',
      message: ERROR_MESSAGES.config,
      detail: 'TARO_APP_SUPABASE_URL or TARO_APP_SUPABASE_ANON_KEY was empty at build time (see .env.example)',
    })
  }
  client = createClient<Database>(url, anonKey, {
    ...platformOptions(),
    accessToken: async () => getAccessToken(),
  })
  return client
}
