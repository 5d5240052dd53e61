/**
 * The app's one session (see session-manager.ts for how it behaves), wired to the platform: Taro storage,
 * Taro.login on WeChat or the demo accounts when TARO_APP_DEMO_LOGIN is "true", the wechat-login edge
 * function through the platform fetch. Created on first use so a build without configuration shows an
 * error state instead of failing at launch.
 */
import Taro from '@tarojs/taro'
import { DEMO_LOGIN } from '../../constants/routes'
import { AppError, ERROR_MESSAGES } from '../errors'
import { clearQueryCache } from '../query/query-client'
import { getPlatformFetch, getSupabaseTarget, type SupabaseTarget } from '../supabase/platform-fetch'
import { loadCurrentUser } from './current-user'
import { createSessionManager, type SessionManager } from './session-manager'
import { requestLogin } from './wechat-login'

function requireTarget(): SupabaseTarget {
  const target = getSupabaseTarget()
  if (!target) {
    throw new AppError({
      code: 'config',
      message: ERROR_MESSAGES.config,
      detail: 'TARO_APP_SUPABASE_URL or TARO_APP_SUPABASE_ANON_KEY was empty at build time (see .env.example)',
    })
  }
  return target
}

async function wechatLoginCode(): Promise<string> {
  let code: string | undefined
  try {
    code = (await Taro.login()).code
  } catch (error) {
    throw new AppError({ code: 'unavailable', message: '微信登录失败，请稍后重试', detail: `Taro.login failed: ${JSON.stringify(error)}`, cause: error })
  }
  if (!code) throw new AppError({ code: 'unavailable', message: '微信登录失败，请稍后重试', detail: 'Taro.login gave no code' })
  return code
}

let manager: SessionManager | null = null

export function getSession(): SessionManager {
  if (manager) return manager
  manager = createSessionManager({
    // Methods, not the Taro object: on H5 Taro's APIs are compiled to named imports per call site, and
    // the default export does not carry them.
    storage: {
      getStorageSync: (key) => Taro.getStorageSync(key),
      setStorageSync: (key, data) => Taro.setStorageSync(key, data),
      removeStorageSync: (key) => Taro.removeStorageSync(key),
    },
    mode: DEMO_LOGIN ? 'demo' : process.env.TARO_ENV === 'weapp' ? 'wechat' : 'none',
    getLoginCode: wechatLoginCode,
    requestLogin: (code) => requestLogin(code, { fetch: getPlatformFetch(), target: requireTarget() }),
    loadUser: (token, userId) => loadCurrentUser(token, userId, { fetch: getPlatformFetch(), target: requireTarget() }),
    now: () => Date.now(),
  })
  // Once, with the manager: a watcher per call started with nobody known and so emptied the cache at
  // every later state change (a silent re-login cleared and refetched everything shown).
  forgetCachesOnSignOut(manager)
  return manager
}

/** Nothing cached for one person outlives their session: cleared on sign-out and when someone else signs in. */
function forgetCachesOnSignOut(session: SessionManager): void {
  let person: string | null = null
  session.subscribe(() => {
    const state = session.getState()
    const next = state.status === 'signed-in' ? state.user.id : state.status === 'signed-out' ? null : person
    if (next !== person || state.status === 'signed-out') clearQueryCache()
    person = next
  })
}

/** For supabase-js's `accessToken` option. */
export function getAccessToken(): Promise<string | null> {
  return getSession().getAccessToken()
}
