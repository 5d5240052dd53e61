/**
 * Installs the web globals supabase-js needs and the mini-program runtime lacks, and only those: each is
 * set when the global object has nothing of that name, so a browser (H5) or Node keeps its own.
 * TextEncoder is not installed: supabase-js needs it only for binary Realtime frames, which we do not use.
 */
import { AbortControllerPolyfill, AbortSignalPolyfill } from './abort'
import { HeadersPolyfill } from './headers'
import { URLPolyfill, URLSearchParamsPolyfill } from './url'

export const WEB_GLOBAL_POLYFILLS = {
  URL: URLPolyfill,
  URLSearchParams: URLSearchParamsPolyfill,
  Headers: HeadersPolyfill,
  AbortController: AbortControllerPolyfill,
  AbortSignal: AbortSignalPolyfill,
} as const

export type WebGlobalName = keyof typeof WEB_GLOBAL_POLYFILLS

/** Returns the names it installed. */
export function installMissingWebGlobals(target: object = globalThis): WebGlobalName[] {
  const installed: WebGlobalName[] = []
  for (const name of Object.keys(WEB_GLOBAL_POLYFILLS) as WebGlobalName[]) {
    if (typeof (target as Record<string, unknown>)[name] !== 'undefined') continue
    Object.defineProperty(target, name, {
      value: WEB_GLOBAL_POLYFILLS[name],
      writable: true,
      configurable: true,
      enumerable: false,
    })
    installed.push(name)
  }
  return installed
}
