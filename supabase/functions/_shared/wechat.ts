// A small client for the WeChat server APIs the functions use, and the mapping of WeChat's errcodes to
// our errors. Every call has a timeout; a network failure, a timeout, an HTTP 5xx or an answer that is
// not JSON all mean "WeChat is unavailable" (502, retryable).
//
//   code2Session         GET  /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code
//                        → { openid, session_key, unionid? } or { errcode, errmsg }
//   getStableAccessToken POST /cgi-bin/stable_token { grant_type: 'client_credential', appid, secret, force_refresh? }
//                        → { access_token, expires_in }
//   getPhoneNumber       POST /wxa/business/getuserphonenumber?access_token= { code }
//                        → { errcode: 0, errmsg: 'ok', phone_info: { phoneNumber, purePhoneNumber, countryCode, watermark } }
//   subscribeMessage.send POST /cgi-bin/message/subscribe/send?access_token=
//                        { touser, template_id, page?, data: { key: { value } }, miniprogram_state?, lang? }
//                        → { errcode: 0, errmsg: 'ok' }
//   msgSecCheck (v2)     POST /wxa/msg_sec_check?access_token= { content, version: 2, scene, openid }
//                        → { errcode: 0, result: { suggest: 'pass' | 'review' | 'risky', label }, detail, trace_id }
//                        (v1 answered risky text with errcode 87014; that is read as risky too)
//   mediaCheckAsync (v2) POST /wxa/media_check_async?access_token= { media_url, media_type: 1 audio | 2 image,
//                        version: 2, scene, openid } → { errcode: 0, trace_id }; the verdict arrives later as
//                        a wxa_media_check event at the message-push URL (the wechat-events function)
import { AppError } from './errors.ts'
import { type Env, optionalEnv, requireEnv } from './http.ts'

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com'
export const DEFAULT_WECHAT_TIMEOUT_MS = 5000

export interface WechatConfig {
  baseUrl: string
  appId: string
  secret: string
  timeoutMs: number
}

/** WECHAT_APP_ID, WECHAT_APP_SECRET (required), WECHAT_API_BASE and WECHAT_TIMEOUT_MS (optional). */
export function wechatConfigFromEnv(env: Env): WechatConfig {
  const appId = requireEnv(env, 'WECHAT_APP_ID')
  const secret = requireEnv(env, 'WECHAT_APP_SECRET')
  const baseUrl = (optionalEnv(env, 'WECHAT_API_BASE') ?? DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '')
  const timeout = Number(optionalEnv(env, 'WECHAT_TIMEOUT_MS') ?? DEFAULT_WECHAT_TIMEOUT_MS)
  return { appId, secret, baseUrl, timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_WECHAT_TIMEOUT_MS }
}

/** WeChat answered, with a non-zero errcode. */
export class WechatApiError extends Error {
  constructor(
    readonly api: string,
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`${api}: errcode ${errcode} ${errmsg}`)
    this.name = 'WechatApiError'
  }
}

/** WeChat did not answer usefully: network failure, timeout, HTTP error status, a body that is not JSON. */
export class WechatUnavailableError extends Error {
  constructor(
    readonly api: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`${api}: ${reason}`, { cause })
    this.name = 'WechatUnavailableError'
  }
}

/** errcodes that mean the access token is invalid, expired or no longer the latest one. */
export const ACCESS_TOKEN_ERRCODES = new Set([40001, 40014, 42001])

export interface Code2SessionResult {
  openid: string
  session_key: string
  unionid?: string
}

export interface StableToken {
  access_token: string
  expires_in: number
}

export interface PhoneInfo {
  phoneNumber: string
  purePhoneNumber: string
  countryCode: string
}

/** Where "进入小程序查看" leads: the development, trial or released version of the mini-program. */
export type MiniprogramState = 'developer' | 'trial' | 'formal'

/** One subscription message (订阅消息), as subscribeMessage.send takes it. */
export interface SubscribeMessage {
  /** The recipient's openid in this mini-program. */
  touser: string
  template_id: string
  /** A page of the mini-program, without a leading slash, optionally with a query (`pages/me/index?x=1`). */
  page?: string
  data: Record<string, { value: string }>
  miniprogram_state?: MiniprogramState
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'
}

/** msgSecCheck's scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type SecCheckScene = 1 | 2 | 3 | 4

/** WeChat's verdict on content (v2): pass, review (a person should look), risky. */
export type SecCheckSuggest = 'pass' | 'review' | 'risky'

export interface SecCheckResult {
  suggest: SecCheckSuggest
  /** 100 normal; 10001 ad, 20001 political, 20002 porn, 20003 abuse, 20006 illegal, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other. */
  label: number
  traceId: string | null
}

/** v1's errcode for risky content (msgSecCheck / imgSecCheck), still answered by some deployments. */
export const RISKY_CONTENT_ERRCODE = 87014

export interface WechatClient {
  code2Session(code: string): Promise<Code2SessionResult>
  getStableAccessToken(forceRefresh: boolean): Promise<StableToken>
  getPhoneNumber(accessToken: string, code: string): Promise<PhoneInfo>
  /** Resolves when WeChat accepted the message (errcode 0). */
  sendSubscribeMessage(accessToken: string, message: SubscribeMessage): Promise<void>
  /** msgSecCheck v2 on a text written by `openid` (who must have used the mini-program within two hours). */
  msgSecCheck(accessToken: string, check: { content: string; openid: string; scene: SecCheckScene }): Promise<SecCheckResult>
  /** mediaCheckAsync v2: submits an image (2) or audio (1) at a URL WeChat can fetch; answers the trace_id of the event to come. */
  mediaCheckAsync(accessToken: string, check: { mediaUrl: string; mediaType: 1 | 2; openid: string; scene: SecCheckScene }): Promise<string>
}

const SUGGESTS: readonly SecCheckSuggest[] = ['pass', 'review', 'risky']

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

export function createWechatClient(config: WechatConfig, fetchFn: Fetch): WechatClient {
  async function call(api: string, url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
    let res: Response
    try {
      res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(config.timeoutMs) })
    } catch (e) {
      const timedOut = e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError')
      throw new WechatUnavailableError(api, timedOut ? `no answer within ${config.timeoutMs} ms` : `network error: ${e}`, e)
    }
    let text: string
    try {
      text = await res.text()
    } catch (e) {
      throw new WechatUnavailableError(api, `reading the answer failed: ${e}`, e)
    }
    if (!res.ok) throw new WechatUnavailableError(api, `HTTP ${res.status}`)
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new WechatUnavailableError(api, `answer is not JSON: ${text.slice(0, 100)}`)
    }
    if (typeof body !== 'object' || body === null) throw new WechatUnavailableError(api, 'answer is not a JSON object')
    const b = body as Record<string, unknown>
    const errcode = typeof b.errcode === 'number' ? b.errcode : Number(b.errcode ?? 0)
    if (errcode !== 0) throw new WechatApiError(api, errcode, String(b.errmsg ?? ''))
    return b
  }

  return {
    async code2Session(code) {
      const q = new URLSearchParams({
        appid: config.appId,
        secret: config.secret,
        js_code: code,
        grant_type: 'authorization_code',
      })
      const b = await call('code2Session', `${config.baseUrl}/sns/jscode2session?${q}`)
      if (typeof b.openid !== 'string' || !b.openid) throw new WechatUnavailableError('code2Session', 'answer has no openid')
      return {
        openid: b.openid,
        session_key: String(b.session_key ?? ''),
        ...(typeof b.unionid === 'string' && b.unionid ? { unionid: b.unionid } : {}),
      }
    },

    async getStableAccessToken(forceRefresh) {
      const b = await call('getStableAccessToken', `${config.baseUrl}/cgi-bin/stable_token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'client_credential',
          appid: config.appId,
          secret: config.secret,
          force_refresh: forceRefresh,
        }),
      })
      if (typeof b.access_token !== 'string' || !b.access_token) {
        throw new WechatUnavailableError('getStableAccessToken', 'answer has no access_token')
      }
      return { access_token: b.access_token, expires_in: Number(b.expires_in) || 7200 }
    },

    async getPhoneNumber(accessToken, code) {
      const b = await call(
        'getPhoneNumber',
        `${config.baseUrl}/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(accessToken)}`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) },
      )
      const info = b.phone_info as Record<string, unknown> | undefined
      if (!info || typeof info.purePhoneNumber !== 'string' || !info.purePhoneNumber) {
        throw new WechatUnavailableError('getPhoneNumber', 'answer has no phone_info')
      }
      return {
        phoneNumber: String(info.phoneNumber ?? info.purePhoneNumber),
        purePhoneNumber: info.purePhoneNumber,
        countryCode: String(info.countryCode ?? '86'),
      }
    },

    async sendSubscribeMessage(accessToken, message) {
      await call(
        'subscribeMessage.send',
        `${config.baseUrl}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(accessToken)}`,
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) },
      )
    },

    async msgSecCheck(accessToken, check) {
      let b: Record<string, unknown>
      try {
        b = await call('msgSecCheck', `${config.baseUrl}/wxa/msg_sec_check?access_token=${encodeURIComponent(accessToken)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ content: check.content, version: 2, scene: check.scene, openid: check.openid }),
        })
      } catch (e) {
        if (e instanceof WechatApiError && e.errcode === RISKY_CONTENT_ERRCODE) return { suggest: 'risky', label: 21000, traceId: null }
        throw e
      }
      const result = b.result as { suggest?: unknown; label?: unknown } | undefined
      const suggest = result?.suggest
      if (typeof suggest !== 'string' || !SUGGESTS.includes(suggest as SecCheckSuggest)) {
        throw new WechatUnavailableError('msgSecCheck', `answer has no result.suggest: ${JSON.stringify(b).slice(0, 200)}`)
      }
      return { suggest: suggest as SecCheckSuggest, label: Number(result?.label ?? 0), traceId: typeof b.trace_id === 'string' ? b.trace_id : null }
    },

    async mediaCheckAsync(accessToken, check) {
      const b = await call('mediaCheckAsync', `${config.baseUrl}/wxa/media_check_async?access_token=${encodeURIComponent(accessToken)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ media_url: check.mediaUrl, media_type: check.mediaType, version: 2, scene: check.scene, openid: check.openid }),
      })
      if (typeof b.trace_id !== 'string' || !b.trace_id) throw new WechatUnavailableError('mediaCheckAsync', 'answer has no trace_id')
      return b.trace_id
    },
  }
}

/**
 * A WeChat failure as the error the client meets; anything else is returned as it is, to be rethrown.
 * `invalidCodeMessage` differs between sign-in (wx.login code) and phone binding (getPhoneNumber code).
 */
export function wechatFailure(e: unknown, invalidCodeMessage: string): unknown {
  if (e instanceof WechatUnavailableError) {
    return new AppError('wechat_unavailable', undefined, { cause: e, detail: e.message })
  }
  if (!(e instanceof WechatApiError)) return e
  const detail = e.message
  switch (e.errcode) {
    case 40029: // invalid code
    case 40163: // code been used
      return new AppError('invalid_code', invalidCodeMessage, { cause: e, detail })
    case 45011: // api minute-quota reach limit
      return new AppError('too_frequent', undefined, { cause: e, detail, headers: { 'Retry-After': '60' } })
    case 40226: // code blocked: a high-risk account, sign-in intercepted by WeChat
      return new AppError('user_blocked', undefined, { cause: e, detail })
    case -1: // system error: WeChat is busy
      return new AppError('wechat_unavailable', undefined, { cause: e, detail })
    case 40013: // invalid appid
    case 40125: // invalid appsecret
    case 41002: // appid missing
    case 41004: // appsecret missing
    case 40164: // caller IP not in the whitelist
    case 40243: // AppSecret frozen
      return new AppError('server_misconfigured', undefined, { cause: e, detail })
    default:
      if (ACCESS_TOKEN_ERRCODES.has(e.errcode)) {
        // Still rejected after a refresh: WeChat's token service is out of step; trying later can work.
        return new AppError('wechat_unavailable', undefined, { cause: e, detail })
      }
      return new AppError('wechat_error', undefined, { cause: e, detail })
  }
}
