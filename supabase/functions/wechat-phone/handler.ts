// wechat-phone: binds the phone number WeChat verified to the signed-in person.
//
//   POST { "code": "<code from the getPhoneNumber button>" }, Authorization: Bearer <the person's token>
//   200  { "phone": "13800138000", "verified_at": "<ISO 8601 timestamp>" }
//   4xx/5xx { "error": { "code", "message", "retryable" } } (codes and messages: _shared/errors.ts)
//
// The caller's token is verified against the project's JWKS; the code goes to WeChat's
// getuserphonenumber with the backend's shared access token (_shared/stable-token.ts; refreshed once when
// WeChat says it is no longer valid); the number is stored in public.profile_contacts for the caller.
import { type Env, type Logger, errorResponse, json, preflight, readJsonObject, requireCode, requirePost } from '../_shared/http.ts'
import type { Caller } from '../_shared/jwt.ts'
import { SharedAccessToken, type TokenStore } from '../_shared/stable-token.ts'
import { type PhoneInfo, type WechatClient, createWechatClient, wechatConfigFromEnv, wechatFailure } from '../_shared/wechat.ts'

export interface PhoneDeps {
  env: Env
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** Milliseconds since the epoch. */
  now: () => number
  /** The person behind `Authorization`; throws 401 `unauthorized` for anything else. */
  verifyCaller: (authorization: string | null) => Promise<Caller>
  /** Upserts public.profile_contacts for the person. */
  savePhone: (userId: string, phone: string, verifiedAt: string) => Promise<PhoneResponse>
  /** Where the backend's one WeChat access token is cached (private.wechat_access_tokens). */
  tokenStore: TokenStore
  log?: Logger
}

export interface PhoneResponse {
  phone: string
  verified_at: string
}

const INVALID_CODE_MESSAGE = '手机号授权已失效，请重新点击授权'

/** Mainland numbers as WeChat gives them (no prefix); others with their country code, e.g. +85261234567. */
export function phoneFromInfo(info: PhoneInfo): string {
  const country = info.countryCode.replace(/^\+/, '')
  return country === '86' ? info.purePhoneNumber : `+${country}${info.purePhoneNumber}`
}

export function createHandler(deps: PhoneDeps): (req: Request) => Promise<Response> {
  // The backend's shared access token (see _shared/stable-token.ts), for the app id it was made for.
  let tokens: SharedAccessToken | null = null

  async function getPhoneInfo(wechat: WechatClient, appId: string, code: string): Promise<PhoneInfo> {
    if (tokens?.appId !== appId) {
      tokens = new SharedAccessToken({
        appId,
        store: deps.tokenStore,
        fetchToken: (force) => wechat.getStableAccessToken(force),
        now: deps.now,
        log: deps.log,
      })
    }
    try {
      // A token WeChat no longer accepts is refreshed once and the call tried again.
      return await tokens.call((token) => wechat.getPhoneNumber(token, code))
    } catch (e) {
      throw wechatFailure(e, INVALID_CODE_MESSAGE)
    }
  }

  return async (req) => {
    if (req.method === 'OPTIONS') return preflight()
    try {
      requirePost(req)
      const caller = await deps.verifyCaller(req.headers.get('authorization'))
      const code = requireCode(await readJsonObject(req), '缺少手机号授权凭证 code')
      const config = wechatConfigFromEnv(deps.env)
      const wechat = createWechatClient(config, deps.fetch)
      const info = await getPhoneInfo(wechat, config.appId, code)
      const saved = await deps.savePhone(caller.sub, phoneFromInfo(info), new Date(deps.now()).toISOString())
      return json(saved satisfies PhoneResponse)
    } catch (e) {
      return errorResponse(e, deps.log)
    }
  }
}
