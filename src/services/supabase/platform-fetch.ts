/**
 * The fetch of the platform the app runs on: the browser's on H5; on the mini-program, which has no
 * fetch, the Taro.request adapter, after the web globals supabase-js needs are installed. Everything
 * that talks HTTP (supabase-js, sign-in) goes through this one function.
 */
import Taro from '@tarojs/taro'
import { installMissingWebGlobals } from './polyfills/install'
import { createTaroFetch, type TaroRequest } from './taro-fetch'

let platformFetch: typeof fetch | null = null

export function getPlatformFetch(): typeof fetch {
  if (platformFetch) return platformFetch
  if (process.env.TARO_ENV === 'weapp') {
    installMissingWebGlobals()
    platformFetch = createTaroFetch(Taro.request as unknown as TaroRequest)
  } else {
    // Called through globalThis so a test can replace it and the browser sees its own `this`.
    platformFetch = (input, init) => globalThis.fetch(input, init)
  }
  return platformFetch
}

/** Where the Supabase project is and its public key, as the build was given them. */
export interface SupabaseTarget {
  url: string
  anonKey: string
}

/** The build's Supabase URL (without a trailing slash) and anon key; null when either is missing. */
export function getSupabaseTarget(): SupabaseTarget | null {
  const url = process.env.TARO_APP_SUPABASE_URL
  const anonKey = process.env.TARO_APP_SUPABASE_ANON_KEY
  if (!url || !anonKey) return null
  return { url: url.replace(/\/+$/, ''), anonKey }
}
