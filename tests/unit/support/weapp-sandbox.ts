/**
 * The mini-program runtime in a test: app modules bundled for weapp (TARO_ENV=weapp, @tarojs/taro
 * replaced by the wx look-alike in ./taro-node-shim over Node's http, as a release build: no demo
 * accounts) and run in a `vm` context that, like WeChat's JavaScript engine, has none of the web
 * globals (fetch, URL, Blob, localStorage, window, …): only the ECMAScript built-ins, timers and console.
 */
import http from 'node:http'
import path from 'node:path'
import vm from 'node:vm'
import { build } from 'esbuild'
import type { TestBackend } from '../../support/backend'

const root = path.resolve(__dirname, '..', '..', '..')

/** Bundles `exportLines` (`export { x } from './src/…'`, paths from the project root) for weapp against `backend`. */
async function bundleForWeapp(backend: Pick<TestBackend, 'url' | 'anonKey'>, exportLines: readonly string[], name: string): Promise<string> {
  const result = await build({
    stdin: { contents: exportLines.join('\n'), resolveDir: root, sourcefile: `${name}-entry.ts`, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['import'],
    target: 'es2019',
    external: ['node:http'],
    alias: { '@tarojs/taro': path.join(root, 'tests/unit/support/taro-node-shim.ts') },
    define: {
      'process.env.TARO_ENV': '"weapp"',
      'process.env.TARO_PLATFORM': '"mini"',
      'process.env.NODE_ENV': '"production"',
      'process.env.TARO_APP_SUPABASE_URL': JSON.stringify(backend.url),
      'process.env.TARO_APP_SUPABASE_ANON_KEY': JSON.stringify(backend.anonKey),
      // As a release build: WeChat sign-in (Taro.login), no demo accounts.
      'process.env.TARO_APP_DEMO_LOGIN': '"false"',
    },
    logLevel: 'silent',
  })
  return result.outputFiles[0].text
}

/**
 * Loads the bundle into a fresh mini-program-like context and answers its exports. `beforeLoad` sees the
 * context before any app code ran (to prove what it lacks). `require` exists solely so the wx.request
 * look-alike can reach Node's http module.
 */
export async function loadWeappBundle<T>(
  backend: Pick<TestBackend, 'url' | 'anonKey'>,
  exportLines: readonly string[],
  name: string,
  beforeLoad?: (context: vm.Context) => void,
): Promise<{ app: T; context: vm.Context }> {
  const code = await bundleForWeapp(backend, exportLines, name)
  const module = { exports: {} as T }
  const context = vm.createContext({
    console,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    module,
    exports: module.exports,
    require: (id: string) => {
      if (id === 'node:http') return http
      throw new Error(`require(${id}) is not available in the mini-program runtime`)
    },
  })
  beforeLoad?.(context)
  vm.runInContext(code, context, { filename: `${name}-bundle.js` })
  return { app: module.exports, context }
}
