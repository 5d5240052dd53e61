/**
 * wechat-phone on real Deno behind the local backend, against the fake WeChat API
 * (supabase/local/wechat). Sections: the owner / other people / the caller's token / WeChat's access
 * token / WeChat failures / bad requests / missing secrets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { phoneForCode } from '../../supabase/local/wechat/handlers'
import type { FakeWechat } from '../../supabase/local/wechat/server'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people, serviceClient } from '../support/clients'
import { callFunction, type FunctionError } from '../support/functions'

interface PhoneBody {
  phone: string
  verified_at: string
}

let seq = 0
/** A fresh getPhoneNumber code: each can be used once. */
const newCode = () => `ph${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`

const tokenFor = (be: TestBackend, person: keyof typeof people) => be.signToken({ sub: people[person], aud: 'authenticated' })

async function bind(be: TestBackend, token: string | null, body: unknown = { code: newCode() }) {
  return callFunction<PhoneBody & FunctionError>(be, 'wechat-phone', { body, token })
}

async function storedPhone(be: TestBackend, person: keyof typeof people): Promise<string | null> {
  const { data, error } = await serviceClient(be).from('profile_contacts').select('phone').eq('user_id', people[person]).maybeSingle()
  expect(error).toBeNull()
  return data?.phone ?? null
}

describe('on the local backend', () => {
  let be: TestBackend
  let wechat: FakeWechat

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { WECHAT_TIMEOUT_MS: '1500' } })
    wechat = be.wechat!
  })
  afterAll(async () => {
    await be?.close()
  })
  afterEach(() => {
    wechat.reset()
  })

  describe('the owner', () => {
    it('binds the number WeChat verified and gets it back with the time it was verified', async () => {
      const code = newCode()
      const before = Date.now()
      const res = await bind(be, await tokenFor(be, 'worker1'), { code })
      expect(res.status).toBe(200)
      expect(Object.keys(res.body).sort()).toEqual(['phone', 'verified_at'])
      expect(res.body.phone).toBe(phoneForCode(code))
      expect(res.body.phone).toMatch(/^1[3-9]\d{9}$/)
      expect(Date.parse(res.body.verified_at)).toBeGreaterThanOrEqual(before - 2000)
      expect(Date.parse(res.body.verified_at)).toBeLessThanOrEqual(Date.now() + 2000)
    })

    it('reads their own number back through supabase-js', async () => {
      const token = await tokenFor(be, 'worker1')
      const code = newCode()
      await bind(be, token, { code })
      const { data, error } = await clientFor(be, token).from('profile_contacts').select('user_id, phone')
      expect(error).toBeNull()
      expect(data).toEqual([{ user_id: people.worker1, phone: phoneForCode(code) }])
    })

    it('replaces the number when binding again', async () => {
      const token = await tokenFor(be, 'worker1')
      await bind(be, token)
      const code = newCode()
      await bind(be, token, { code })
      expect(await storedPhone(be, 'worker1')).toBe(phoneForCode(code))
    })

    it('binds with the token wechat-login gave', async () => {
      const login = await callFunction<{ access_token: string; user: { id: string } }>(be, 'wechat-login', { body: { code: 'demo:butler1' } })
      const code = newCode()
      const res = await bind(be, login.body.access_token, { code })
      expect(res.status).toBe(200)
      expect(await storedPhone(be, 'butler1')).toBe(phoneForCode(code))
    })
  })

  describe('other people', () => {
    it('another worker cannot read the number', async () => {
      await bind(be, await tokenFor(be, 'worker1'))
      const { data, error } = await clientFor(be, await tokenFor(be, 'worker2'))
        .from('profile_contacts')
        .select('phone')
        .eq('user_id', people.worker1)
      expect(error).toBeNull()
      expect(data).toEqual([])
    })

    it('an anonymous client cannot read any number', async () => {
      await bind(be, await tokenFor(be, 'worker1'))
      const { data, error } = await clientFor(be).from('profile_contacts').select('phone')
      expect(data).toBeNull()
      expect(error?.code).toBe('42501')
    })

    it('a person cannot write a number themselves', async () => {
      const { error } = await clientFor(be, await tokenFor(be, 'worker2'))
        .from('profile_contacts')
        .insert({ user_id: people.worker2, phone: '13900000000' })
      expect(error?.code).toBe('42501')
      expect(await storedPhone(be, 'worker2')).toBeNull()
    })
  })

  describe("the caller's token", () => {
    it('a call without a token is refused with 401 before the function runs', async () => {
      const res = await callFunction(be, 'wechat-phone', { body: { code: newCode() }, token: null })
      expect(res.status).toBe(401)
      expect(res.body).toMatchObject({ code: 'UNAUTHORIZED_NO_AUTH_HEADER' })
      expect(wechat.calls()).toEqual([])
    })

    it('the anon key is not a person: 401 unauthorized, and WeChat is not asked', async () => {
      const res = await bind(be, be.anonKey)
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: '请先登录', retryable: false } })
      expect(wechat.calls()).toEqual([])
    })

    it('the service-role key is not a person: 401 unauthorized', async () => {
      const res = await bind(be, be.serviceRoleKey)
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: '请先登录', retryable: false } })
    })

    it('a token whose role is not authenticated is refused with 401 unauthorized, even with a sub', async () => {
      const res = await bind(be, await be.signToken({ sub: people.worker1, role: 'anon' }))
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: '请先登录', retryable: false } })
    })

    it('an expired token is refused with 401, and WeChat is not asked', async () => {
      const expired = await be.signToken({ sub: people.worker2, exp: Math.floor(Date.now() / 1000) - 60 })
      const res = await bind(be, expired)
      expect(res.status).toBe(401)
      expect(wechat.calls()).toEqual([])
      expect(await storedPhone(be, 'worker2')).toBeNull()
    })

    it('a token for a person who does not exist is refused with 401 unauthorized', async () => {
      const ghost = await be.signToken({ sub: '00000000-0000-4000-8000-0000000000ff' })
      const res = await bind(be, ghost)
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: '登录已失效，请重新登录', retryable: false } })
    })
  })

  describe("WeChat's access token", () => {
    it('is fetched once and reused for later calls', async () => {
      const token = await tokenFor(be, 'worker1')
      await bind(be, token)
      wechat.reset()
      expect((await bind(be, token)).status).toBe(200)
      expect((await bind(be, token)).status).toBe(200)
      expect(wechat.calls('stable_token')).toEqual([])
      expect(wechat.calls('getuserphonenumber')).toHaveLength(2)
    })

    it('is refreshed once with force_refresh and the call retried when WeChat no longer accepts it (40001)', async () => {
      const token = await tokenFor(be, 'worker1')
      await bind(be, token)
      wechat.reset()
      wechat.invalidateAccessToken()
      const code = newCode()
      const res = await bind(be, token, { code })
      expect(res.status).toBe(200)
      expect(res.body.phone).toBe(phoneForCode(code))
      expect(wechat.calls('stable_token').map((c) => c.params.force_refresh)).toEqual([true])
      const phoneCalls = wechat.calls('getuserphonenumber')
      expect(phoneCalls).toHaveLength(2)
      expect(phoneCalls[0].params.access_token).not.toBe(phoneCalls[1].params.access_token)
      expect(phoneCalls[1].params.access_token).toBe(wechat.state.accessToken)
    })

    it('is kept in the shared table private.wechat_access_tokens for every function instance', async () => {
      await bind(be, await tokenFor(be, 'worker1'))
      const r = await be.db.query(`select access_token, expires_at > now() + interval '1 hour' as fresh from private.wechat_access_tokens where app_id = 'wx-local-demo'`)
      expect(r.rows).toEqual([{ access_token: wechat.state.accessToken, fresh: true }])
    })

    it('takes the token another instance already refreshed from the table instead of forcing a new one', async () => {
      const token = await tokenFor(be, 'worker1')
      await bind(be, token)
      // Another instance met 40001, forced a new token and stored it; ours still holds the old one.
      const res = await fetch(`${wechat.url}/cgi-bin/stable_token`, {
        method: 'POST',
        body: JSON.stringify({ grant_type: 'client_credential', appid: 'wx-local-demo', secret: 'local-secret', force_refresh: true }),
      })
      const { access_token: newer } = (await res.json()) as { access_token: string }
      await be.db.query(`update private.wechat_access_tokens set access_token = $1, expires_at = now() + interval '2 hours' where app_id = 'wx-local-demo'`, [newer])
      wechat.reset()
      const code = newCode()
      const bound = await bind(be, token, { code })
      expect(bound.status).toBe(200)
      expect(bound.body.phone).toBe(phoneForCode(code))
      expect(wechat.calls('stable_token')).toEqual([])
      expect(wechat.calls('getuserphonenumber').map((c) => c.params.access_token === newer)).toEqual([false, true])
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat still rejects the token after one refresh', async () => {
      wechat.setScenario('getuserphonenumber', 40001)
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
      expect(wechat.calls('getuserphonenumber')).toHaveLength(2)
      expect(wechat.calls('stable_token')).toHaveLength(1)
      expect(await storedPhone(be, 'worker2')).toBeNull()
    })

    it('answers 502 wechat_unavailable, retryable, when stable_token is busy (-1)', async () => {
      wechat.invalidateAccessToken()
      wechat.setScenario('stable_token', -1)
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(502)
      expect(res.body.error).toEqual({ code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true })
    })

    it('answers 500 server_misconfigured when stable_token rejects the app secret (40125)', async () => {
      wechat.invalidateAccessToken()
      wechat.setScenario('stable_token', 40125)
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(500)
      expect(res.body).toEqual({ error: { code: 'server_misconfigured', message: '服务配置有误，请联系管理员', retryable: false } })
    })
  })

  describe('WeChat failures', () => {
    it('answers 400 invalid_code when WeChat says the phone code is invalid (40029), and stores nothing', async () => {
      wechat.setScenario('getuserphonenumber', 40029)
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'invalid_code', message: '手机号授权已失效，请重新点击授权', retryable: false } })
      expect(await storedPhone(be, 'worker2')).toBeNull()
    })

    it('answers 429 too_frequent, retryable, when WeChat limits the rate (45011)', async () => {
      wechat.setScenario('getuserphonenumber', 45011)
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(429)
      expect(res.body).toEqual({ error: { code: 'too_frequent', message: '操作太频繁，请稍后再试', retryable: true } })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat is busy (-1)', async () => {
      wechat.setScenario('getuserphonenumber', -1)
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat answers HTTP 500', async () => {
      wechat.setScenario('getuserphonenumber', 'http_500')
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(502)
      expect(res.body.error).toEqual({ code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat does not answer within the timeout', async () => {
      wechat.setScenario('getuserphonenumber', 'hang')
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(502)
      expect(res.body.error).toEqual({ code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true })
    })

    it('answers 502 wechat_unavailable, retryable, when the connection to WeChat fails', async () => {
      wechat.setScenario('getuserphonenumber', 'drop')
      const res = await bind(be, await tokenFor(be, 'worker2'))
      expect(res.status).toBe(502)
      expect(res.body.error).toEqual({ code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true })
      expect(await storedPhone(be, 'worker2')).toBeNull()
    })
  })

  describe('bad requests', () => {
    it('answers 405 method_not_allowed to a GET', async () => {
      const res = await callFunction<FunctionError>(be, 'wechat-phone', { method: 'GET', token: await tokenFor(be, 'worker1') })
      expect(res.status).toBe(405)
      expect(res.body).toEqual({ error: { code: 'method_not_allowed', message: '不支持该请求方式', retryable: false } })
    })

    it('answers 400 bad_request when the code is missing, without asking WeChat', async () => {
      const res = await bind(be, await tokenFor(be, 'worker1'), {})
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'bad_request', message: '缺少手机号授权凭证 code', retryable: false } })
      expect(wechat.calls()).toEqual([])
    })
  })
})

describe('a deployment without its WeChat app secret', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { WECHAT_APP_SECRET: '' } })
  })
  afterAll(async () => {
    await be?.close()
  })

  it('answers 500 server_misconfigured and no stack trace, without calling WeChat', async () => {
    const res = await bind(be, await tokenFor(be, 'worker1'))
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ error: { code: 'server_misconfigured', message: '服务配置有误，请联系管理员', retryable: false } })
    expect(be.wechat!.calls()).toEqual([])
  })
})
