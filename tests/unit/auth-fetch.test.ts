/**
 * The fetch given to supabase-js (src/services/supabase/auth-fetch.ts) with the real session manager, a
 * fake server (a fetch that accepts only the tokens the test says are valid) and a fake wechat-login:
 * a refused token gets exactly one silent re-login and one retry of that request, then a Chinese error,
 * and never a loop. Driven through supabase-js itself, so every kind of call (select, rpc, functions) is
 * shown to get it.
 */
import { createClient } from '@supabase/supabase-js'
import WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { createSessionManager } from '../../src/services/auth/session-manager'
import type { KeyValueStorage } from '../../src/services/auth/session-store'
import type { SessionUser } from '../../src/services/auth/types'
import { AppError, ERROR_MESSAGES, toAppError } from '../../src/services/errors'
import { createAuthFetch } from '../../src/services/supabase/auth-fetch'
import type { Database } from '../../src/services/supabase/database.types'

const URL_BASE = 'http://backend.test'
const ANON = 'anon-key'
const NOW = Date.UTC(2026, 10, 21, 8, 0, 0)
const user: SessionUser = { id: '00000000-0000-4000-8000-000000000012', role: 'worker', display_name: '陈秀英', onboarded: true }

function token(n: number): string {
  const payload = Buffer.from(JSON.stringify({ sub: user.id, n })).toString('base64url')
  return `h.${payload}.s${n}`
}

function memoryStorage(): KeyValueStorage {
  const data = new Map<string, unknown>()
  return {
    getStorageSync: (key) => (data.has(key) ? data.get(key) : ''),
    setStorageSync: (key, value) => void data.set(key, value),
    removeStorageSync: (key) => void data.delete(key),
  }
}

interface Sent {
  url: string
  method: string
  authorization: string | null
  body: string | null
}

function setup(options: { loginFails?: AppError } = {}) {
  /** Tokens the fake server accepts; the test revokes them to simulate expiry or a rotated key. */
  const valid = new Set<string>()
  /** `refuseAll`: the server refuses every user token (e.g. it verifies with a key we never signed with). */
  const server = { refuseAll: false, loginFails: options.loginFails ?? null }
  const sent: Sent[] = []
  const logins: string[] = []
  let issued = 0

  const serverFetch: typeof fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers)
    const authorization = headers.get('authorization')
    sent.push({ url: String(input), method: init.method ?? 'GET', authorization, body: typeof init.body === 'string' ? init.body : null })
    const bearer = authorization?.replace(/^Bearer /, '') ?? ''
    if (bearer !== ANON && (server.refuseAll || !valid.has(bearer))) {
      return Response.json({ code: 'PGRST303', message: 'JWT expired', details: null, hint: null }, { status: 401 })
    }
    if (bearer === ANON && String(input).includes('/rpc/')) {
      return Response.json({ code: '42501', message: 'permission denied for function', details: null, hint: null }, { status: 401 })
    }
    if (String(input).includes('/functions/v1/')) return Response.json({ phone: '13812341234', verified_at: '2026-11-21T08:00:00Z' })
    return Response.json([{ id: 'row-1' }])
  }

  const session = createSessionManager({
    storage: memoryStorage(),
    mode: 'wechat',
    getLoginCode: async () => `code-${logins.length + 1}`,
    requestLogin: async (code) => {
      logins.push(code)
      if (server.loginFails) throw server.loginFails
      const accessToken = token(++issued)
      valid.add(accessToken)
      return { access_token: accessToken, expires_at: NOW / 1000 + 7200, user }
    },
    loadUser: async () => user,
    now: () => NOW,
  })

  const authFetch = createAuthFetch(serverFetch, {
    anonKey: ANON,
    renewAccessToken: (rejected) => session.renewAccessToken(rejected),
    lastSignInError: () => session.lastSignInError(),
  })
  const client = createClient<Database>(URL_BASE, ANON, {
    global: { fetch: authFetch },
    accessToken: () => session.getAccessToken(),
    db: { retry: false },
    // Node 20 has no WebSocket; Realtime is not used here.
    realtime: { transport: WebSocket as never },
  })
  return { client, session, valid, sent, logins, server }
}

describe('a request whose token the server refuses', () => {
  it('signs in silently once and retries that request once with the new token', async () => {
    const { client, session, valid, sent, logins } = setup()
    const first = await session.getAccessToken()
    valid.delete(first!) // expired on the server before its time

    const { data, error } = await client.from('posts').select('id')

    expect(error).toBeNull()
    expect(data).toEqual([{ id: 'row-1' }])
    expect(logins).toHaveLength(2)
    expect(sent.map((s) => s.authorization)).toEqual([`Bearer ${first}`, `Bearer ${token(2)}`])
  })

  it('retries an RPC with the same body', async () => {
    const { client, session, valid, sent } = setup()
    valid.delete((await session.getAccessToken())!)

    const { error } = await client.rpc('complete_onboarding', { display_name: '陈秀英', district: '四方区兴隆路街道' })

    expect(error).toBeNull()
    expect(sent).toHaveLength(2)
    expect(sent.map((s) => s.method)).toEqual(['POST', 'POST'])
    expect(sent[1].body).toBe(sent[0].body)
    expect(JSON.parse(sent[1].body!)).toEqual({ display_name: '陈秀英', district: '四方区兴隆路街道' })
  })

  it('gives up after the one retry when the new token is refused too, with a Chinese message and no loop', async () => {
    const { client, session, sent, logins, server } = setup()
    await session.getAccessToken()
    server.refuseAll = true

    const { error, status } = await client.from('posts').select('id')

    expect(status).toBe(401)
    expect(sent).toHaveLength(2)
    expect(logins).toHaveLength(2)
    const appError = toAppError(error, status)
    expect([appError.code, appError.message]).toEqual(['unauthorized', ERROR_MESSAGES.unauthorized])
  })

  it('when the re-login after a 401 fails, answers its Chinese message and sends nothing more', async () => {
    const { client, session, valid, sent, logins, server } = setup()
    valid.delete((await session.getAccessToken())!)
    server.loginFails = new AppError({ code: 'unavailable', status: 429, message: '操作太频繁，请稍后再试' })

    const { error, status } = await client.from('posts').select('id')

    expect(status).toBe(401)
    expect(toAppError(error, status).message).toBe('操作太频繁，请稍后再试')
    expect(logins).toHaveLength(2)
    expect(sent).toHaveLength(1)
  })

  it('when the sign-in before a request failed, a 401 to it carries that failure in Chinese and is not retried', async () => {
    const { client, sent, logins } = setup({ loginFails: new AppError({ code: 'unavailable', status: 502, message: '微信服务暂时不可用，请稍后再试' }) })

    // Public data still loads without a user token.
    const feed = await client.from('posts').select('id')
    expect([feed.status, feed.error]).toEqual([200, null])
    expect(sent.map((s) => s.authorization)).toEqual([`Bearer ${ANON}`])

    const before = logins.length
    const rpc = await client.rpc('complete_onboarding', { display_name: '陈秀英', district: '四方区' })
    expect(rpc.status).toBe(401)
    expect(toAppError(rpc.error, rpc.status).message).toBe('微信服务暂时不可用，请稍后再试')
    // The request's own silent attempt before it went out, none for the 401, no second send.
    expect(logins.length - before).toBe(1)
    expect(sent).toHaveLength(2)
  })

  it('concurrent requests refused at the same time share one re-login', async () => {
    const { client, session, valid, sent, logins } = setup()
    valid.delete((await session.getAccessToken())!)

    const results = await Promise.all([client.from('posts').select('id'), client.from('posts').select('id'), client.rpc('complete_onboarding', { display_name: '陈秀英', district: '四方区' })])

    expect(results.map((r) => r.error)).toEqual([null, null, null])
    expect(logins).toHaveLength(2)
    expect(sent).toHaveLength(6)
    expect(sent.slice(3).map((s) => s.authorization)).toEqual([`Bearer ${token(2)}`, `Bearer ${token(2)}`, `Bearer ${token(2)}`])
  })

  it('gives edge functions the same treatment, and their error body carries the Chinese message', async () => {
    const { client, session, valid, sent, server } = setup()
    valid.delete((await session.getAccessToken())!)
    const ok = await client.functions.invoke('wechat-phone', { body: { code: 'phone-code' } })
    expect(ok.error).toBeNull()
    expect(sent).toHaveLength(2)

    server.refuseAll = true
    const refused = await client.functions.invoke('wechat-phone', { body: { code: 'phone-code' } })
    expect(refused.response?.status).toBe(401)
    const body = (await refused.response!.json()) as { error: { code: string; message: string } }
    expect(body.error).toMatchObject({ code: 'unauthorized', message: ERROR_MESSAGES.unauthorized })
  })
})

describe('requests the wrapper leaves alone', () => {
  it('does not retry a 401 to an anonymous request when no sign-in failed', async () => {
    const calls: string[] = []
    const authFetch = createAuthFetch(
      async (input) => {
        calls.push(String(input))
        return Response.json({ code: '42501', message: 'permission denied' }, { status: 401 })
      },
      { anonKey: ANON, renewAccessToken: async () => 'never', lastSignInError: () => null },
    )
    const response = await authFetch(`${URL_BASE}/rest/v1/consents`, { headers: { Authorization: `Bearer ${ANON}` } })
    expect(response.status).toBe(401)
    await expect(response.json()).resolves.toMatchObject({ message: 'permission denied' })
    expect(calls).toHaveLength(1)
  })

  it('passes every other status through untouched', async () => {
    let renewals = 0
    for (const status of [200, 400, 403, 404, 500]) {
      const authFetch = createAuthFetch(async () => new Response('x', { status }), {
        anonKey: ANON,
        renewAccessToken: async () => {
          renewals++
          return 'new'
        },
        lastSignInError: () => null,
      })
      const response = await authFetch(`${URL_BASE}/rest/v1/posts`, { headers: { Authorization: 'Bearer user-token' } })
      expect(response.status).toBe(status)
    }
    expect(renewals).toBe(0)
  })

  it('answers a 401 in the mini-program, where Response does not exist, with an object supabase-js can read', async () => {
    const original = globalThis.Response
    const upstream = new original('{"code":"PGRST303","message":"JWT expired"}', { status: 401 })
    Object.defineProperty(globalThis, 'Response', { value: undefined, configurable: true, writable: true })
    try {
      const authFetch = createAuthFetch(async () => upstream, {
        anonKey: ANON,
        renewAccessToken: async () => {
          throw new AppError({ code: 'unavailable', message: '微信服务暂时不可用，请稍后再试' })
        },
        lastSignInError: () => null,
      })
      const response = await authFetch(`${URL_BASE}/rest/v1/posts`, { headers: { authorization: 'Bearer old' } })
      expect([response.ok, response.status, response.headers.get('Content-Type')]).toEqual([false, 401, 'application/json; charset=utf-8'])
      await expect(response.json()).resolves.toMatchObject({ message: '微信服务暂时不可用，请稍后再试' })
    } finally {
      Object.defineProperty(globalThis, 'Response', { value: original, configurable: true, writable: true })
    }
  })
})
