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
  failRequestsTo(urlPart: string | null): void
  randomCalls: number[]
  joinGroupByCode(code: string): Promise<{ id: string; name: string }>
  getMyGroups(): Promise<Array<{ group_id: string; name: string; my_role: string; unread_count: number }>>
  chatApi: {
    latest(groupId: string, limit: number): Promise<Array<{ id: string; seq: number; rev: number; body: string | null; sender_name: string }>>
    changedSince(groupId: string, rev: number): Promise<Array<{ id: string; rev: number; body: string | null; review: string }>>
    markRead(groupId: string, rev: number): Promise<void>
  }
  chatOutbox: {
    submit(draft: { groupId: string; kind: 'text'; body: string }, senderId: string): Promise<{ ok: boolean; entry: { id: string; state: string; error: string | null } }>
    retry(id: string): Promise<{ ok: boolean } | null>
    all(): Array<{ id: string; state: string }>
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
  "export { failRequestsTo, randomCalls } from './tests/unit/support/taro-node-shim'",
  "export { joinGroupByCode } from './src/services/groups/membership-mutations'",
  "export { getMyGroups } from './src/services/groups/my-groups-query'",
  "export { chatApi } from './src/services/groups/messages-api'",
  "export { chatOutbox } from './src/services/groups/chat-outbox'",
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

describe('a group in the mini-program runtime, through wx.request alone', () => {
  let userId = ''
  let groupId = ''
  let before = 0

  it('joins 兴隆路街道创业群 with its invite code and lists it under my groups', async () => {
    const state = app.getSession().getState() as { status: string; user?: { id: string } }
    userId = state.user?.id ?? ''
    expect(userId).not.toBe('')
    before = app.calls.length
    const group = await app.joinGroupByCode('xl-2026')
    expect(group.name).toBe('兴隆路街道创业群')
    groupId = group.id
    const mine = await app.getMyGroups()
    expect(mine).toEqual([expect.objectContaining({ group_id: groupId, name: '兴隆路街道创业群', my_role: 'member' })])
  })

  it('opens the group: the newest page of messages, oldest first, with the senders\' names', async () => {
    const rows = await app.chatApi.latest(groupId, 30)
    const expected = await be.db.query(`select count(*)::int as n from public.group_messages where group_id = $1 and status = 'published'`, [groupId])
    expect(rows.length).toBe(Math.min(30, Number(expected.rows[0].n)))
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b))
    expect(rows.every((r) => r.sender_name.length > 0)).toBe(true)
  })

  it('sends a message with an id drawn from wx.getRandomValues, and the server stores it under that id', async () => {
    const randomBefore = app.randomCalls.length
    const sent = await app.chatOutbox.submit({ groupId, kind: 'text', body: '你好，我想咨询一次性创业补贴' }, userId)
    expect(sent.ok).toBe(true)
    expect(app.randomCalls.slice(randomBefore)).toEqual([16])
    const stored = await be.db.query(`select sender_id, body, status from public.group_messages where id = $1`, [sent.entry.id])
    expect(stored.rows).toEqual([{ sender_id: userId, body: '你好，我想咨询一次性创业补贴', status: 'pending' }])
    expect(app.chatOutbox.all()).toHaveLength(0)
  })

  it('keeps a send that failed on a weak network for 重发, and the retry with the same id makes one message', async () => {
    app.failRequestsTo('/rest/v1/rpc/send_group_message')
    const first = await app.chatOutbox.submit({ groupId, kind: 'text', body: '补贴什么时候发放？' }, userId)
    expect(first.ok).toBe(false)
    expect(first.entry.state).toBe('failed')
    expect(first.entry.error).toMatch(/^[\u4e00-\u9fff]/)
    app.failRequestsTo(null)
    const again = await app.chatOutbox.retry(first.entry.id)
    expect(again?.ok).toBe(true)
    const sends = app.calls.filter((c) => c.url.includes('/rest/v1/rpc/send_group_message') && String(c.data).includes(first.entry.id))
    expect(sends.length).toBe(2)
    const stored = await be.db.query(`select count(*)::int as n from public.group_messages where id = $1`, [first.entry.id])
    expect(stored.rows[0].n).toBe(1)
  })

  it('polls only what changed since the last rev, sees its own pending messages, and marks the group read', async () => {
    const rows = await app.chatApi.latest(groupId, 30)
    const mine = await app.chatApi.changedSince(groupId, rows[rows.length - 1].rev - 1)
    expect(mine.map((r) => r.body)).toContain('补贴什么时候发放？')
    expect(mine.every((r) => r.rev >= rows[rows.length - 1].rev)).toBe(true)
    await app.chatApi.markRead(groupId, rows[rows.length - 1].rev)
    const read = await be.db.query(`select last_read_rev from public.group_members where group_id = $1 and user_id = $2`, [groupId, userId])
    expect(Number(read.rows[0].last_read_rev)).toBe(rows[rows.length - 1].rev)
  })

  it('did all of it with GET and POST through wx.request (the mini-program cannot PATCH)', () => {
    const used = app.calls.slice(before)
    expect(used.length).toBeGreaterThan(5)
    expect(used.every((c) => c.method === 'GET' || c.method === 'POST')).toBe(true)
    expect(used.every((c) => c.url.startsWith(be.url))).toBe(true)
  })
})
