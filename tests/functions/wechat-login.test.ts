/**
 * wechat-login on real Deno behind the local backend, against the fake WeChat API
 * (supabase/local/wechat). Sections: a WeChat code / WeChat failures / bad requests / demo sign-in /
 * production configuration / missing secrets.
 */
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_ACCOUNTS } from '../../src/constants/demo-accounts'
import { DEMO_HANDLES } from '../../supabase/functions/wechat-login/demo.ts'
import { openidForCode } from '../../supabase/local/wechat/handlers'
import type { FakeWechat } from '../../supabase/local/wechat/server'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people, serviceClient } from '../support/clients'
import { callFunction, type FunctionError } from '../support/functions'

interface LoginBody {
  access_token: string
  expires_at: number
  user: { id: string; role: string; display_name: string; onboarded: boolean }
}

let seq = 0
/** A fresh wx.login code: WeChat never gives the same code twice. */
const newCode = () => `0a1B2c${Date.now().toString(36)}${(seq++).toString(36)}${Math.random().toString(36).slice(2, 8)}`

const login = (be: TestBackend, body: unknown) => callFunction<LoginBody>(be, 'wechat-login', { body })
const loginError = (be: TestBackend, body: unknown) => callFunction<FunctionError>(be, 'wechat-login', { body })

async function profileCount(be: TestBackend): Promise<number> {
  const { count, error } = await serviceClient(be).from('profiles').select('id', { count: 'exact', head: true })
  expect(error).toBeNull()
  return count ?? 0
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

  describe('a WeChat code', () => {
    it('signs in a new WeChat account as a new worker who has not onboarded yet', async () => {
      const res = await login(be, { code: newCode() })
      expect(res.status).toBe(200)
      expect(res.body.user).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), role: 'worker', display_name: '微信用户', onboarded: false })
      expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_at', 'user'])
    })

    it('is exchanged with code2Session under the app id', async () => {
      const code = newCode()
      await login(be, { code })
      expect(wechat.calls('jscode2session')).toEqual([
        expect.objectContaining({ params: { appid: 'wx-local-demo', js_code: code }, scenario: 'ok' }),
      ])
    })

    it('signs in the same person when the same WeChat account signs in again', async () => {
      const code = newCode()
      const first = await login(be, { code })
      const before = await profileCount(be)
      const second = await login(be, { code })
      expect(second.status).toBe(200)
      expect(second.body.user.id).toBe(first.body.user.id)
      expect(await profileCount(be)).toBe(before)
    })

    it('signs in another person for another WeChat account', async () => {
      const a = await login(be, { code: newCode() })
      const b = await login(be, { code: newCode() })
      expect(a.body.user.id).not.toBe(b.body.user.id)
    })

    it('records the openid code2Session gave, so the person is found by it', async () => {
      const code = newCode()
      const res = await login(be, { code })
      const rows = await be.db.query('select user_id from private.wechat_identities where openid = $1', [
        openidForCode(code),
      ])
      expect(rows.rows).toEqual([{ user_id: res.body.user.id }])
    })

    it('gives a token signed ES256 with the project key id that expires two hours after it was issued', async () => {
      const before = Math.floor(Date.now() / 1000)
      const res = await login(be, { code: newCode() })
      const header = decodeProtectedHeader(res.body.access_token)
      expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: be.keys.kid })
      const claims = decodeJwt(res.body.access_token)
      expect(claims.exp! - claims.iat!).toBe(7200)
      expect(claims.iat!).toBeGreaterThanOrEqual(before - 5)
      expect(claims.iat!).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 5)
      expect(res.body.expires_at).toBe(claims.exp)
    })

    it('gives a token for the person: sub, role and aud authenticated, and the app role from the database', async () => {
      const res = await login(be, { code: newCode() })
      expect(decodeJwt(res.body.access_token)).toMatchObject({
        sub: res.body.user.id,
        role: 'authenticated',
        aud: 'authenticated',
        app_role: 'worker',
        iss: `${be.url}/auth/v1`,
      })
    })

    it('gives a token that verifies against the project JWKS', async () => {
      const res = await login(be, { code: newCode() })
      const jwks = createRemoteJWKSet(new URL(`${be.url}/auth/v1/.well-known/jwks.json`))
      const { payload } = await jwtVerify(res.body.access_token, jwks, { algorithms: ['ES256'], audience: 'authenticated' })
      expect(payload.sub).toBe(res.body.user.id)
    })

    it('gives a token /rest/v1 accepts: the person reads their own profile through supabase-js', async () => {
      const res = await login(be, { code: newCode() })
      const { data, error } = await clientFor(be, res.body.access_token)
        .rpc('full_profiles')
        .select('id, role, display_name')
        .eq('id', res.body.user.id)
        .single()
      expect(error).toBeNull()
      expect(data).toEqual({ id: res.body.user.id, role: 'worker', display_name: '微信用户' })
    })
  })

  describe('WeChat failures', () => {
    it('answers 400 invalid_code when WeChat says the code is invalid (40029)', async () => {
      wechat.setScenario('jscode2session', 40029)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'invalid_code', message: '微信登录凭证无效或已过期，请重新登录', retryable: false } })
    })

    it('answers 400 invalid_code when the code was already used (40163)', async () => {
      wechat.setScenario('jscode2session', 40163)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('invalid_code')
    })

    it('creates nobody when WeChat refuses the code', async () => {
      const before = await profileCount(be)
      wechat.setScenario('jscode2session', 40029)
      await loginError(be, { code: newCode() })
      expect(await profileCount(be)).toBe(before)
    })

    it('answers 429 too_frequent, retryable after a minute, when WeChat limits the rate (45011)', async () => {
      wechat.setScenario('jscode2session', 45011)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('60')
      expect(res.body).toEqual({ error: { code: 'too_frequent', message: '操作太频繁，请稍后再试', retryable: true } })
    })

    it('answers 403 user_blocked when WeChat blocks a high-risk account (40226)', async () => {
      wechat.setScenario('jscode2session', 40226)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(403)
      expect(res.body).toEqual({ error: { code: 'user_blocked', message: '该微信账号存在安全风险，暂时无法登录', retryable: false } })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat is busy (-1)', async () => {
      wechat.setScenario('jscode2session', -1)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat answers HTTP 500', async () => {
      wechat.setScenario('jscode2session', 'http_500')
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat answers something that is not JSON', async () => {
      wechat.setScenario('jscode2session', 'not_json')
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(502)
      expect(res.body.error).toMatchObject({ code: 'wechat_unavailable', retryable: true })
    })

    it('answers 502 wechat_unavailable, retryable, when WeChat does not answer within the timeout', async () => {
      wechat.setScenario('jscode2session', 'hang')
      const started = Date.now()
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400)
    })

    it('answers 502 wechat_unavailable, retryable, when the connection to WeChat fails', async () => {
      wechat.setScenario('jscode2session', 'drop')
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_unavailable', message: '微信服务暂时不可用，请稍后再试', retryable: true } })
      expect(wechat.calls('jscode2session')).toHaveLength(1)
    })

    it('answers 500 server_misconfigured when WeChat rejects the app id (40013)', async () => {
      wechat.setScenario('jscode2session', 40013)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(500)
      expect(res.body).toEqual({ error: { code: 'server_misconfigured', message: '服务配置有误，请联系管理员', retryable: false } })
    })

    it('answers 502 wechat_error, not retryable, for an errcode it does not know', async () => {
      wechat.setScenario('jscode2session', 45009)
      const res = await loginError(be, { code: newCode() })
      expect(res.status).toBe(502)
      expect(res.body).toEqual({ error: { code: 'wechat_error', message: '微信服务返回错误，请稍后再试', retryable: false } })
    })
  })

  describe('bad requests', () => {
    it('answers 405 method_not_allowed to a GET', async () => {
      const res = await callFunction<FunctionError>(be, 'wechat-login', { method: 'GET' })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('POST, OPTIONS')
      expect(res.body).toEqual({ error: { code: 'method_not_allowed', message: '不支持该请求方式', retryable: false } })
    })

    it('answers 400 bad_request when the code is missing', async () => {
      const res = await loginError(be, {})
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'bad_request', message: '缺少微信登录凭证 code', retryable: false } })
      expect(wechat.calls()).toEqual([])
    })

    it('answers 400 bad_request when the code is blank', async () => {
      const res = await loginError(be, { code: '   ' })
      expect(res.status).toBe(400)
      expect(res.body.error).toEqual({ code: 'bad_request', message: '缺少微信登录凭证 code', retryable: false })
    })

    it('answers 400 bad_request when the code is not a string', async () => {
      const res = await loginError(be, { code: 12345 })
      expect(res.status).toBe(400)
      expect(res.body.error.code).toBe('bad_request')
    })

    it('answers 400 bad_request when the body is not JSON', async () => {
      const res = await callFunction<FunctionError>(be, 'wechat-login', { rawBody: 'code=abc' })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ error: { code: 'bad_request', message: '请求格式不正确，应为 JSON', retryable: false } })
    })
  })

  describe('demo sign-in', () => {
    const demo = [
      { handle: 'admin', role: 'admin', display_name: '王主任', onboarded: true },
      { handle: 'butler1', role: 'butler', display_name: '李管家', onboarded: true },
      { handle: 'butler2', role: 'butler', display_name: '张管家', onboarded: true },
      { handle: 'worker1', role: 'worker', display_name: '刘建国', onboarded: false },
      { handle: 'worker2', role: 'worker', display_name: '陈秀英', onboarded: true },
    ] as const

    it.each(demo)('signs in the seeded $handle with code demo:$handle', async ({ handle, role, display_name, onboarded }) => {
      const res = await login(be, { code: `demo:${handle}` })
      expect(res.status).toBe(200)
      expect(res.body.user).toEqual({ id: people[handle], role, display_name, onboarded })
      expect(decodeJwt(res.body.access_token)).toMatchObject({ sub: people[handle], app_role: role })
    })

    it('does not call WeChat', async () => {
      await login(be, { code: 'demo:worker2' })
      expect(wechat.calls()).toEqual([])
    })

    it('a seeded person who deleted their account signs in to a brand-new empty account', async () => {
      const old = await login(be, { code: 'demo:worker1' })
      const deleted = await clientFor(be, old.body.access_token).rpc('delete_my_account')
      expect(deleted.error).toBeNull()

      const res = await login(be, { code: 'demo:worker1' })
      expect(res.status).toBe(200)
      expect(res.body.user).toEqual({ id: expect.any(String), role: 'worker', display_name: '微信用户', onboarded: false })
      expect(res.body.user.id).not.toBe(people.worker1)
      // Signing in again finds that new account, not yet another one.
      const again = await login(be, { code: 'demo:worker1' })
      expect(again.body.user.id).toBe(res.body.user.id)
    })

    it('knows the same demo handles as the demo picker', () => {
      expect([...DEMO_HANDLES].sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.handle).sort())
    })

    it('answers 404 demo_unknown for a handle nobody has, and creates nobody', async () => {
      const before = await profileCount(be)
      const res = await loginError(be, { code: 'demo:nobody' })
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ error: { code: 'demo_unknown', message: '没有这个演示账号', retryable: false } })
      expect(await profileCount(be)).toBe(before)
    })
  })
})

describe('under a production configuration (ALLOW_DEMO_LOGIN=false)', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { ALLOW_DEMO_LOGIN: 'false' } })
  })
  afterAll(async () => {
    await be?.close()
  })

  it('refuses a demo code with 403 demo_disabled', async () => {
    const res = await loginError(be, { code: 'demo:admin' })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ error: { code: 'demo_disabled', message: '演示账号登录未开放', retryable: false } })
  })

  it('refuses an unknown demo handle the same way, revealing nothing', async () => {
    const res = await loginError(be, { code: 'demo:nobody' })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('demo_disabled')
  })

  it('still signs people in with a WeChat code', async () => {
    const res = await login(be, { code: newCode() })
    expect(res.status).toBe(200)
    expect(res.body.user.role).toBe('worker')
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

  it('answers a WeChat code with 500 server_misconfigured and no stack trace, without calling WeChat', async () => {
    const res = await loginError(be, { code: newCode() })
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ error: { code: 'server_misconfigured', message: '服务配置有误，请联系管理员', retryable: false } })
    expect(be.wechat!.calls()).toEqual([])
  })
})

describe('a deployment without its signing key', () => {
  let be: TestBackend

  beforeAll(async () => {
    be = await startTestBackend({ functionsEnv: { JWT_SIGNING_KEY: '' } })
  })
  afterAll(async () => {
    await be?.close()
  })

  it('answers 500 server_misconfigured and no stack trace', async () => {
    const res = await loginError(be, { code: 'demo:worker1' })
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ error: { code: 'server_misconfigured', message: '服务配置有误，请联系管理员', retryable: false } })
  })
})
