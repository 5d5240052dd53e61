/**
 * Proves the Supabase client works in the mini-program runtime, not just in Node: the client module is
 * bundled for weapp (TARO_ENV=weapp, @tarojs/taro replaced by a wx.request look-alike over Node's http)
 * and run in a `vm` context that, like WeChat's JavaScript engine, has none of the web globals
 * supabase-js is written against. A feed query must still reach the local backend and return the seeded
 * published posts.
 */
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { loadWeappBundle } from './support/weapp-sandbox'

/** What the mini-program runtime lacks and supabase-js or the app would otherwise reach for. */
const ABSENT_GLOBALS = [
  'fetch',
  'Response',
  'Request',
  'Headers',
  'URL',
  'URLSearchParams',
  'AbortController',
  'TextEncoder',
  'WebSocket',
  'localStorage',
  'window',
  'document',
] as const

/** The ones the platform layer must install for supabase-js. */
const POLYFILLED = ['URL', 'URLSearchParams', 'Headers', 'AbortController'] as const

interface BundleExports {
  getFeed(): Promise<Array<{ title: string; kind: string; pinned: boolean; published_at: string | null; author: { display_name: string } | null }>>
  getSupabase(): {
    from(table: string): { select(columns: string): PromiseLike<{ data: unknown; error: { code: string; message: string } | null; status: number }> }
  }
  toAppError(error: unknown, status?: number): { code: string; message: string }
  calls: Array<{ url: string; method?: string; header?: Record<string, string>; dataType?: string; responseType?: string; data?: string }>
  allowLogin(prefix: string | null): void
  loginCalls: string[]
  storage: Map<string, unknown>
  getSession(): {
    signIn(): Promise<{ id: string; role: string; display_name: string; onboarded: boolean }>
    getAccessToken(): Promise<string | null>
    getState(): { status: string }
  }
  getOwnProfile(userId: string): Promise<{ display_name: string; district: string | null; privacy_version: string | null; onboarded_at: string | null }>
  acceptPrivacyNotice(version: string): Promise<void>
  completeOnboarding(input: { displayName: string; district: string; formerEmployer: string; displacedOn: string; startupIntention: string }): Promise<{
    display_name: string
    onboarded_at: string | null
  }>
  bindPhone(code: string): Promise<{ phone: string; verified_at: string }>
  getOwnPhone(userId: string): Promise<{ phone: string } | null>
  getQueryClient(): {
    fetchQuery<T>(options: { queryKey: unknown[]; queryFn: () => Promise<T> }): Promise<T>
    getQueryData(key: unknown[]): unknown
  }
}

let be: TestBackend
let context: vm.Context
let app: BundleExports

const ENTRY = [
  "export { getSupabase } from './src/services/supabase/client'",
  "export { getFeed } from './src/services/posts/posts-query'",
  "export { toAppError } from './src/services/errors'",
  "export { calls, allowLogin, loginCalls, storage } from './tests/unit/support/taro-node-shim'",
  "export { getSession } from './src/services/auth/session'",
  "export { getOwnProfile } from './src/services/profile/own-profile-query'",
  "export { acceptPrivacyNotice } from './src/services/profile/accept-privacy-notice'",
  "export { completeOnboarding } from './src/services/profile/complete-onboarding'",
  "export { bindPhone } from './src/services/profile/bind-phone'",
  "export { getOwnPhone } from './src/services/profile/phone-query'",
  "export { getQueryClient } from './src/services/query/query-client'",
]

beforeAll(async () => {
  be = await startTestBackend()
  ;({ app, context } = await loadWeappBundle<BundleExports>(be, ENTRY, 'weapp', (fresh) => {
    for (const name of ABSENT_GLOBALS) {
      expect(vm.runInContext(`typeof globalThis.${name}`, fresh), `${name} before loading`).toBe('undefined')
    }
  }))
})

afterAll(async () => {
  await be?.close()
})

describe('the Supabase client in the mini-program runtime', () => {
  it('installs only the web globals it needs and leaves fetch, WebSocket, storage and the DOM absent', () => {
    // Nothing is installed until the client is first used.
    app.getSupabase()
    for (const name of POLYFILLED) expect(vm.runInContext(`typeof ${name}`, context), name).toBe('function')
    for (const name of ABSENT_GLOBALS.filter((n) => !(POLYFILLED as readonly string[]).includes(n))) {
      expect(vm.runInContext(`typeof globalThis.${name}`, context), name).toBe('undefined')
    }
  })

  it('loads the published posts from the local backend, pinned first, then newest first', async () => {
    const expected = await be.db.query(
      `select title from public.posts where status = 'published' and published_at <= now() order by pinned desc, published_at desc`,
    )
    const posts = await app.getFeed()
    expect(posts.map((p) => p.title)).toEqual(expected.rows.map((r) => r.title))
    expect(posts.length).toBeGreaterThanOrEqual(4)
    expect(posts.filter((p) => p.pinned)).toHaveLength(1)
    expect(posts[0].pinned).toBe(true)
    expect(new Set(posts.map((p) => p.kind)).size).toBeGreaterThan(1)
    expect(posts.every((p) => typeof p.author?.display_name === 'string')).toBe(true)
  })

  it('runs the feed query through the app query client, which needs no window, document or fetch', async () => {
    const posts = await app.getQueryClient().fetchQuery({ queryKey: ['posts', 'feed'], queryFn: () => app.getFeed() })
    expect(posts.length).toBeGreaterThanOrEqual(4)
    expect(app.getQueryClient().getQueryData(['posts', 'feed'])).toBe(posts)
    for (const name of ['window', 'document', 'fetch', 'localStorage']) {
      expect(vm.runInContext(`typeof globalThis.${name}`, context), name).toBe('undefined')
    }
  })

  it('never returns drafts or posts scheduled for later', async () => {
    const posts = await app.getFeed()
    const hidden = await be.db.query(`select title from public.posts where status = 'draft' or published_at > now()`)
    expect(hidden.rows.length).toBeGreaterThan(0)
    for (const row of hidden.rows) expect(posts.map((p) => p.title)).not.toContain(row.title)
  })

  it('sends the query through Taro.request with the anon key and asks for the raw text body', () => {
    const call = app.calls.find((c) => c.url.includes('/rest/v1/rpc/feed_posts'))
    expect(call).toBeDefined()
    expect(call?.method).toBe('GET')
    expect(call?.url).toContain('limit=20')
    expect(call?.header?.apikey).toBe(be.anonKey)
    expect(call?.header?.authorization).toBe(`Bearer ${be.anonKey}`)
    expect(call?.dataType).not.toBe('json')
    expect(call?.responseType).toBe('text')
  })

  it('passes a PostgREST error and its status through, and turns it into a Chinese message', async () => {
    const { data, error, status } = await app.getSupabase().from('posts').select('no_such_column')
    expect(data).toBeNull()
    expect(status).toBe(400)
    expect(error?.code).toBe('42703')
    const appError = app.toAppError(error, status)
    expect(appError.message).toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('signing in inside the mini-program runtime (Taro.login → wechat-login)', () => {
  let userId = ''

  it('signs in with a Taro.login code, stores only the token and its expiry, and creates the person', async () => {
    app.allowLogin('vm-login')
    const user = await app.getSession().signIn()
    userId = user.id
    expect(user).toMatchObject({ role: 'worker', display_name: '微信用户', onboarded: false })
    expect(app.loginCalls).toEqual(['vm-login-1'])
    const stored = app.storage.get('cg.session') as Record<string, unknown>
    expect(Object.keys(stored).sort()).toEqual(['accessToken', 'expiresAt'])
    const created = await be.db.query(`select display_name from public.profiles where id = $1`, [userId])
    expect(created.rows).toEqual([{ display_name: '微信用户' }])
  })

  it('sends the token with every query through Taro.request', async () => {
    const token = await app.getSession().getAccessToken()
    const profile = await app.getOwnProfile(userId)
    expect(profile).toMatchObject({ display_name: '微信用户', privacy_version: null, onboarded_at: null })
    const call = app.calls.filter((c) => c.url.includes('/rest/v1/rpc/full_profiles')).at(-1)
    expect(call?.header?.authorization).toBe(`Bearer ${token}`)
  })

  it('onboards with POSTs only (a consent insert and the complete_onboarding RPC), as wx.request cannot PATCH', async () => {
    const before = app.calls.length
    await app.acceptPrivacyNotice('2026-11')
    const saved = await app.completeOnboarding({
      displayName: '王秀兰',
      district: '李沧区振华路街道',
      formerEmployer: '青岛碱业',
      displacedOn: '2019-03-31',
      startupIntention: '社区早餐店',
    })
    expect(saved.display_name).toBe('王秀兰')
    expect(saved.onboarded_at).not.toBeNull()
    const sent = app.calls.slice(before)
    expect(sent.map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(['POST /rest/v1/consents', 'POST /rest/v1/rpc/complete_onboarding'])
  })

  it('binds the phone number through the wechat-phone function with the person\'s token', async () => {
    const bound = await app.bindPhone('vm-phone-code')
    expect(bound.phone).toMatch(/^1[358]\d{9}$/)
    await expect(app.getOwnPhone(userId)).resolves.toMatchObject({ phone: bound.phone })
    const call = app.calls.find((c) => c.url.endsWith('/functions/v1/wechat-phone'))
    expect(call?.method).toBe('POST')
    expect(call?.header?.authorization).toBe(`Bearer ${await app.getSession().getAccessToken()}`)
  })
})
