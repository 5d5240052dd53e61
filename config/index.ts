import fs from 'node:fs'
import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

const ROOT = path.resolve(__dirname, '..')
/** The URL polyfill the mini-program client is tested with (tests/unit/weapp-runtime.test.ts). */
const URL_POLYFILL = path.resolve(ROOT, 'src/services/supabase/polyfills/url.ts')
const LOCAL_SUPABASE_URL = 'http://127.0.0.1:54321'

/**
 * The anon key of the local backend is not a constant: `supabase/local` writes it to `.local/env.json`
 * when it starts. A build that is not given TARO_APP_SUPABASE_ANON_KEY reads it from there, so
 * `npm run build:h5` right after `npm run backend` talks to that backend without further setup.
 */
function readLocalAnonKey(): string {
  const file = path.join(ROOT, '.local', 'env.json')
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
    if (parsed && typeof parsed === 'object' && 'anonKey' in parsed && typeof parsed.anonKey === 'string') {
      return parsed.anonKey
    }
    console.warn(`[config] ${file} has no string field "anonKey"; building with an empty anon key.`)
  } catch {
    console.warn(
      `[config] TARO_APP_SUPABASE_ANON_KEY is not set and ${file} does not exist; building with an empty ` +
        'anon key, so every request will fail. Start the local backend (npm run backend) or set the variable.',
    )
  }
  return ''
}

/**
 * Values of the TARO_APP_* variables the client reads (declared in types/global.d.ts, documented in
 * .env.example). Taro has already merged `.env`, `.env.<mode>` and the shell into process.env by the
 * time this file runs; the shell wins over the files.
 */
function clientEnv(): Record<string, string> {
  const supabaseUrl = process.env.TARO_APP_SUPABASE_URL || LOCAL_SUPABASE_URL
  const anonKey = process.env.TARO_APP_SUPABASE_ANON_KEY || readLocalAnonKey()
  if (process.env.NODE_ENV === 'production' && process.env.TARO_ENV === 'weapp' && !supabaseUrl.startsWith('https://')) {
    console.warn(`[config] TARO_APP_SUPABASE_URL=${supabaseUrl}: a released mini-program may only call https domains.`)
  }
  // Demo sign-in is on only when asked for in so many words; anything else (unset, "1", "yes") is off.
  const demoLogin = process.env.TARO_APP_DEMO_LOGIN === 'true'
  if (demoLogin && process.env.NODE_ENV === 'production' && process.env.TARO_ENV === 'weapp') {
    console.warn('[config] TARO_APP_DEMO_LOGIN=true in a production weapp build: never release it (demo accounts, no WeChat sign-in).')
  }
  // app.config.ts reads the same variable when Taro evaluates it for app.json (routes.ts: DEMO_LOGIN).
  process.env.TARO_APP_DEMO_LOGIN = demoLogin ? 'true' : 'false'
  // Template key → WeChat template id; an unset or broken value asks for no subscriptions (the client
  // parses it again defensively: services/notifications/subscribe-templates.ts).
  const subscribeTemplates = process.env.TARO_APP_SUBSCRIBE_TEMPLATES?.trim() || '{}'
  try {
    const parsed: unknown = JSON.parse(subscribeTemplates)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
  } catch {
    console.warn(`[config] TARO_APP_SUBSCRIBE_TEMPLATES is not a JSON object (key → template id); no subscription messages will be requested.`)
  }
  return {
    TARO_APP_SUPABASE_URL: JSON.stringify(supabaseUrl),
    TARO_APP_SUPABASE_ANON_KEY: JSON.stringify(anonKey),
    TARO_APP_DEMO_LOGIN: JSON.stringify(demoLogin ? 'true' : 'false'),
    TARO_APP_SUBSCRIBE_TEMPLATES: JSON.stringify(subscribeTemplates),
  }
}

/** Packages in node_modules that Babel compiles too (see `compile.include` below). */
const TANSTACK = (modulePath: string) => modulePath.replace(/\\+/g, '/').includes('/node_modules/@tanstack/')

// https://docs.taro.zone/docs/config-detail
export default defineConfig<'webpack5'>(async (merge) => {
  const platform = process.env.TARO_ENV || 'weapp'
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'chuangye-guanjia',
    date: '2025-11-21',
    // NutUI React Taro is drawn on a 375 px design; our own styles use Taro's default 750.
    designWidth(input) {
      const file = (input as { file?: string } | undefined)?.file?.replace(/\\+/g, '/') ?? ''
      return file.includes('@nutui') ? 375 : 750
    },
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // One folder per platform so the weapp and h5 builds can coexist.
    outputRoot: `dist/${platform}`,
    alias: {
      '@': path.resolve(ROOT, 'src'),
    },
    plugins: [],
    defineConstants: {},
    env: clientEnv(),
    copy: {
      patterns: [],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: {
      enable: false,
    },
    mini: {
      // TanStack Query ships modern syntax (private class fields): compile it like our own code, for the
      // browsers and WeChat versions of browserslist, and so the minifier never sees `#field` names.
      compile: { include: [TANSTACK] },
      postcss: {
        pxtransform: {
          enable: true,
          config: {},
        },
        cssModules: {
          enable: false,
        },
      },
      webpackChain(chain) {
        // Taro provides its own URL and URLSearchParams to every module of a mini-program build. Provide
        // ours instead, so supabase-js runs on the implementation the weapp-runtime test exercises
        // (Taro's drops the path of a base URL and has no URL.canParse).
        chain.plugin('providerPlugin').tap((args: Array<Record<string, [string, string]>>) => [
          { ...args[0], URL: [URL_POLYFILL, 'URLPolyfill'], URLSearchParams: [URL_POLYFILL, 'URLSearchParamsPolyfill'] },
        ])
      },
    },
    h5: {
      compile: { include: [TANSTACK] },
      publicPath: '/',
      staticDirectory: 'static',
      // `npm start` / `npm run dev:h5`: the dev server, on loopback only (H5_PORT to change the port).
      devServer: { host: '127.0.0.1', port: Number(process.env.H5_PORT || 10086) },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: {
          enable: true,
          config: {},
        },
        cssModules: {
          enable: false,
        },
      },
      webpackChain(chain) {
        // Taro splits only initial chunks on H5, so every lazily loaded page carried its own copy of the
        // NutUI components and styles it shares with the others. Split shared code of page chunks too.
        chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all' })
      },
    },
  }

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
