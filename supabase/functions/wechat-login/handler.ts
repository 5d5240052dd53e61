// wechat-login: exchanges the code from `Taro.login()` for our own user token.
//
//   POST { "code": "<wx.login code>" }
//   200  { "access_token": "<ES256 JWT>", "expires_at": <unix seconds>,
//          "user": { "id": "<uuid>", "role": "worker|butler|admin", "display_name": "…", "onboarded": false } }
//   4xx/5xx { "error": { "code", "message", "retryable" } } (codes and messages: _shared/errors.ts)
//
// The code goes to WeChat's code2Session for the person's openid (and unionid), the database finds or
// creates the person behind it (public.sign_in_wechat), and we sign a two-hour token for them. The
// session_key WeChat also returns is neither kept nor sent on: nothing here decrypts WeChat data with it.
//
// Demo sign-in: a code `demo:<handle>` signs in the seeded person whose openid is `demo:<handle>`, without
// WeChat, and only when ALLOW_DEMO_LOGIN is exactly `true` (the local backend sets it; production never
// does, and then such a code is refused with 403 demo_disabled). A seeded person who deleted their
// account (注销账号 unlinks the openid) signs in to a brand-new empty account, as a WeChat user would;
// any other handle stays 404 demo_unknown and creates nobody.
import { AppError } from '../_shared/errors.ts'
import { type Env, type Logger, errorResponse, json, optionalEnv, preflight, readJsonObject, requireCode, requirePost } from '../_shared/http.ts'
import { signUserToken, signingKeyFromEnv } from '../_shared/jwt.ts'
import { createWechatClient, wechatConfigFromEnv, wechatFailure } from '../_shared/wechat.ts'
import { DEMO_CODE, DEMO_PREFIX, isSeededDemoCode } from './demo.ts'

/** A row of public.sign_in_wechat. */
export interface SignedInPerson {
  id: string
  role: string
  display_name: string
  onboarded: boolean
  created: boolean
}

/** Calls public.sign_in_wechat; null when `create` is false and nobody has that openid. */
export type SignIn = (args: { openid: string; unionid: string | null; create: boolean }) => Promise<SignedInPerson | null>

export interface LoginDeps {
  env: Env
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** Milliseconds since the epoch. */
  now: () => number
  signIn: SignIn
  log?: Logger
}

export interface LoginResponse {
  access_token: string
  expires_at: number
  user: { id: string; role: string; display_name: string; onboarded: boolean }
}

export function createHandler(deps: LoginDeps): (req: Request) => Promise<Response> {
  async function demoSignIn(code: string): Promise<SignedInPerson> {
    if (deps.env('ALLOW_DEMO_LOGIN') !== 'true') {
      throw new AppError('demo_disabled', undefined, { detail: 'a demo code was refused: ALLOW_DEMO_LOGIN is not true' })
    }
    const person = DEMO_CODE.test(code) ? await deps.signIn({ openid: code, unionid: null, create: isSeededDemoCode(code) }) : null
    if (!person) throw new AppError('demo_unknown')
    return person
  }

  async function wechatSignIn(code: string): Promise<SignedInPerson> {
    const wechat = createWechatClient(wechatConfigFromEnv(deps.env), deps.fetch)
    let session
    try {
      session = await wechat.code2Session(code)
    } catch (e) {
      throw wechatFailure(e, '微信登录凭证无效或已过期，请重新登录')
    }
    const person = await deps.signIn({ openid: session.openid, unionid: session.unionid ?? null, create: true })
    if (!person) throw new AppError('internal', undefined, { detail: 'sign_in_wechat returned no row' })
    return person
  }

  return async (req) => {
    if (req.method === 'OPTIONS') return preflight()
    try {
      requirePost(req)
      const code = requireCode(await readJsonObject(req), '缺少微信登录凭证 code')
      const key = await signingKeyFromEnv(deps.env)
      const person = code.startsWith(DEMO_PREFIX) ? await demoSignIn(code) : await wechatSignIn(code)
      const supabaseUrl = optionalEnv(deps.env, 'SUPABASE_URL')
      const { token, expiresAt } = await signUserToken(
        key,
        { sub: person.id, appRole: person.role, issuer: supabaseUrl ? `${supabaseUrl.replace(/\/+$/, '')}/auth/v1` : undefined },
        deps.now(),
      )
      const body: LoginResponse = {
        access_token: token,
        expires_at: expiresAt,
        user: { id: person.id, role: person.role, display_name: person.display_name, onboarded: person.onboarded },
      }
      return json(body)
    } catch (e) {
      return errorResponse(e, deps.log)
    }
  }
}
