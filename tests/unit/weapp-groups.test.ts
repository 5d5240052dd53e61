/**
 * A group in the mini-program runtime: the groups client bundled for weapp and run in the sandbox of
 * ./support/weapp-sandbox.ts (no fetch, URL, crypto or other web globals), against the local backend,
 * through wx.request alone. A new WeChat user signs in, joins 兴隆路街道创业群 with its code, opens it,
 * sends a message whose id comes from wx.getRandomValues, has a send fail on the network and retries it as
 * the same message, polls what changed and marks the group read.
 */
import { randomBytes } from 'node:crypto'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { loadWeappBundle } from './support/weapp-sandbox'

interface BundleExports {
  calls: Array<{ url: string; method?: string; data?: unknown }>
  allowLogin(prefix: string | null): void
  failRequestsTo(urlPart: string | null): void
  /** The wx look-alike itself, to give it wx.getRandomValues. */
  taro: Record<string, unknown>
  getSession(): { signIn(): Promise<{ id: string }> }
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

const ENTRY = [
  "export { calls, allowLogin, failRequestsTo, default as taro } from './tests/unit/support/taro-node-shim'",
  "export { getSession } from './src/services/auth/session'",
  "export { joinGroupByCode } from './src/services/groups/membership-mutations'",
  "export { getMyGroups } from './src/services/groups/my-groups-query'",
  "export { chatApi } from './src/services/groups/messages-api'",
  "export { chatOutbox } from './src/services/groups/chat-outbox'",
]

let be: TestBackend
let app: BundleExports
let context: vm.Context
/** The lengths wx.getRandomValues was asked for. */
const randomCalls: number[] = []
let userId = ''
let groupId = ''
let before = 0

beforeAll(async () => {
  be = await startTestBackend()
  ;({ app, context } = await loadWeappBundle<BundleExports>(be, ENTRY, 'weapp-groups'))
  // wx.getRandomValues: WeChat's secure bytes (Node's here), as an ArrayBuffer of the mini-program's realm.
  const makeBuffer = vm.runInContext('(bytes) => new Uint8Array(bytes).buffer', context) as (bytes: number[]) => ArrayBuffer
  app.taro.getRandomValues = (option: { length: number }) => {
    randomCalls.push(option.length)
    return Promise.resolve({ randomValues: makeBuffer(Array.from(randomBytes(option.length))), errMsg: 'getRandomValues:ok' })
  }
  app.allowLogin('groups')
  userId = (await app.getSession().signIn()).id
  expect(vm.runInContext('typeof crypto', context)).toBe('undefined')
})

afterAll(async () => {
  await be?.close()
})

describe('a group in the mini-program runtime, through wx.request alone', () => {
  it('joins 兴隆路街道创业群 with its invite code and lists it under my groups', async () => {
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
    const sent = await app.chatOutbox.submit({ groupId, kind: 'text', body: '你好，我想咨询一次性创业补贴' }, userId)
    expect(sent.ok).toBe(true)
    expect(randomCalls).toEqual([16])
    expect(sent.entry.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    const stored = await be.db.query(`select sender_id, body, status from public.group_messages where id = $1`, [sent.entry.id])
    expect(stored.rows).toEqual([{ sender_id: userId, body: '你好，我想咨询一次性创业补贴', status: 'pending' }])
    expect(app.chatOutbox.all()).toHaveLength(0)
  })

  it('keeps a send that failed on the network for 重发, and the retry with the same id makes one message', async () => {
    app.failRequestsTo('/rest/v1/rpc/send_group_message')
    const first = await app.chatOutbox.submit({ groupId, kind: 'text', body: '补贴什么时候发放？' }, userId)
    expect(first.ok).toBe(false)
    expect(first.entry.state).toBe('failed')
    expect(first.entry.error).toMatch(/^[\u4e00-\u9fff]/)
    app.failRequestsTo(null)
    const again = await app.chatOutbox.retry(first.entry.id)
    expect(again?.ok).toBe(true)
    const sends = app.calls.filter((c) => c.url.includes('/rest/v1/rpc/send_group_message') && String(c.data).includes(first.entry.id))
    expect(sends).toHaveLength(2)
    const stored = await be.db.query(`select count(*)::int as n from public.group_messages where id = $1`, [first.entry.id])
    expect(Number(stored.rows[0].n)).toBe(1)
  })

  it('polls only what changed since a rev, sees its own pending messages, and marks the group read', async () => {
    const rows = await app.chatApi.latest(groupId, 30)
    const last = rows[rows.length - 1].rev
    const changed = await app.chatApi.changedSince(groupId, last - 1)
    expect(changed.map((r) => r.body)).toContain('补贴什么时候发放？')
    expect(changed.every((r) => r.rev >= last)).toBe(true)
    await app.chatApi.markRead(groupId, last)
    const read = await be.db.query(`select last_read_rev from public.group_members where group_id = $1 and user_id = $2`, [groupId, userId])
    expect(Number(read.rows[0].last_read_rev)).toBe(last)
  })

  it('did all of it with GET and POST through wx.request (the mini-program cannot PATCH)', () => {
    const used = app.calls.slice(before)
    expect(used.length).toBeGreaterThan(5)
    expect(used.every((c) => c.method === 'GET' || c.method === 'POST')).toBe(true)
    expect(used.every((c) => c.url.startsWith(be.url))).toBe(true)
  })
})
