/**
 * The fake WeChat server API, as msw handlers: the one description of how WeChat answers, used by the
 * local backend's fake server (./server.ts) and usable in-process with msw's setupServer.
 *
 *   GET  /sns/jscode2session                  code2Session: a deterministic openid per code, a session_key
 *   POST /cgi-bin/stable_token                getStableAccessToken: one current token; force_refresh replaces it
 *   POST /wxa/business/getuserphonenumber     getPhoneNumber: a believable mainland number per code; 40001
 *                                             for any token that is not the current one
 *   POST /cgi-bin/message/subscribe/send      subscribeMessage.send: 40001 for a stale token, 40003 without
 *                                             touser, 40037 without template_id, 47003 for a value that
 *                                             breaks WeChat's length rules (checked here on their own, not
 *                                             with the dispatcher's code), otherwise ok
 *   POST /wxa/msg_sec_check                   msgSecCheck: v2 (version 2) answers result.suggest/label and
 *                                             detail; v1 answers errcode 87014 for risky text. The verdict
 *                                             is `contentVerdict` (switchable), and any text containing one
 *                                             of `riskyWords` is risky; 40003 without openid (v2), 47001
 *                                             for a bad scene or empty content
 *   POST /wxa/media_check_async               mediaCheckAsync: answers a trace_id at once; then fetches
 *                                             media_url as WeChat would and, after `mediaPushDelayMs`,
 *                                             POSTs the wxa_media_check event (verdict `contentVerdict`)
 *                                             to `pushUrl` signed with `pushToken`, as WeChat's message
 *                                             push does; each push's answer is kept in `pushes`
 *
 * Each endpoint has a switchable scenario (see `Scenario`); every call is recorded. `latencyMs` delays
 * every answer, as the real API's round trip would (the dispatcher benchmark uses 20 ms).
 */
import { createHash, randomBytes } from 'node:crypto'
import { HttpResponse, delay, http, type RequestHandler } from 'msw'

export const FAKE_WECHAT_APP_ID = 'wx-local-demo'
export const FAKE_WECHAT_APP_SECRET = 'local-secret'

export type Endpoint = 'jscode2session' | 'stable_token' | 'getuserphonenumber' | 'subscribe_send' | 'msg_sec_check' | 'media_check_async'
export const ENDPOINTS: readonly Endpoint[] = ['jscode2session', 'stable_token', 'getuserphonenumber', 'subscribe_send', 'msg_sec_check', 'media_check_async']

/** WeChat's verdict on content (v2): `suggest` and its `label` (100 normal, 20001 political, 20006 illegal, …). */
export interface ContentVerdict {
  suggest: 'pass' | 'review' | 'risky'
  label: number
}

/** The token the local backend configures for the message push (WECHAT_PUSH_TOKEN of wechat-events). */
export const FAKE_WECHAT_PUSH_TOKEN = 'local-push-token'

/** One wxa_media_check event the fake pushed, and how the push URL answered. */
export interface FakeWechatPush {
  traceId: string
  at: number
  /** HTTP status of the push URL's answer (0: it could not be reached). */
  status: number
  body: string
  /** What media_url answered when the fake fetched it (0: not reachable). */
  mediaStatus: number
}

/**
 * How an endpoint answers:
 * - `'ok'`: as WeChat does when all is well (the default);
 * - a number: that errcode, with WeChat's errmsg (40029 invalid code, 45011 too frequent, 40226 blocked
 *   user, -1 system busy, 40001 invalid access token, 40013 invalid appid, …);
 * - `'http_500'`: an HTTP 500 with an HTML body, as a failing gateway would;
 * - `'hang'`: never answers (the caller's timeout must fire);
 * - `'drop'`: the connection is cut without an answer (a network failure);
 * - `'not_json'`: 200 with a body that is not JSON.
 */
export type Scenario = 'ok' | 'http_500' | 'hang' | 'drop' | 'not_json' | number

export interface FakeWechatCall {
  endpoint: Endpoint
  /** Milliseconds since the epoch. */
  at: number
  /**
   * What the caller sent, without the app secret: js_code / force_refresh / code and access_token /
   * access_token, touser, template_id, page, data, miniprogram_state and lang.
   */
  params: Record<string, unknown>
  /** The scenario it was answered with. */
  scenario: Scenario
}

export interface FakeWechatState {
  appId: string
  secret: string
  scenarios: Record<Endpoint, Scenario>
  calls: FakeWechatCall[]
  /** The access token stable_token hands out now; any other token is answered 40001. */
  accessToken: string | null
  /** Milliseconds every answer waits (0: none). */
  latencyMs: number
  /** The verdict msgSecCheck and mediaCheckAsync give (pass unless switched). */
  contentVerdict: ContentVerdict
  /** Texts containing one of these are risky (label 20006) whatever contentVerdict says. */
  riskyWords: string[]
  /** Where wxa_media_check events are pushed (the local backend sets its wechat-events URL); null: nowhere. */
  pushUrl: string | null
  pushToken: string
  /** Milliseconds between mediaCheckAsync's answer and its event. */
  mediaPushDelayMs: number
  pushes: FakeWechatPush[]
}

export function createFakeWechatState(opts: { appId?: string; secret?: string } = {}): FakeWechatState {
  return {
    appId: opts.appId ?? FAKE_WECHAT_APP_ID,
    secret: opts.secret ?? FAKE_WECHAT_APP_SECRET,
    scenarios: { jscode2session: 'ok', stable_token: 'ok', getuserphonenumber: 'ok', subscribe_send: 'ok', msg_sec_check: 'ok', media_check_async: 'ok' },
    calls: [],
    accessToken: null,
    latencyMs: 0,
    contentVerdict: { suggest: 'pass', label: 100 },
    riskyWords: ['违规测试'],
    pushUrl: null,
    pushToken: FAKE_WECHAT_PUSH_TOKEN,
    mediaPushDelayMs: 20,
    pushes: [],
  }
}

export function isScenario(v: unknown): v is Scenario {
  return (typeof v === 'number' && Number.isInteger(v)) || v === 'ok' || v === 'http_500' || v === 'hang' || v === 'drop' || v === 'not_json'
}

/** Which endpoint a request path is for, if any. */
export function endpointForPath(pathname: string): Endpoint | null {
  if (pathname.endsWith('/sns/jscode2session')) return 'jscode2session'
  if (pathname.endsWith('/cgi-bin/stable_token')) return 'stable_token'
  if (pathname.endsWith('/wxa/business/getuserphonenumber')) return 'getuserphonenumber'
  if (pathname.endsWith('/cgi-bin/message/subscribe/send')) return 'subscribe_send'
  if (pathname.endsWith('/wxa/msg_sec_check')) return 'msg_sec_check'
  if (pathname.endsWith('/wxa/media_check_async')) return 'media_check_async'
  return null
}

/** The openid WeChat would give this code's person in this app: `o_` and 26 url-safe characters. */
export function openidForCode(code: string, appId = FAKE_WECHAT_APP_ID): string {
  return 'o_' + createHash('sha256').update(`${appId}:${code}`).digest('base64url').slice(0, 26)
}

/** A believable mainland mobile number for a getPhoneNumber code: 13x/15x/18x and 8 digits. */
export function phoneForCode(code: string): string {
  const h = createHash('sha256').update(`phone:${code}`).digest()
  const prefixes = ['138', '139', '137', '150', '151', '158', '186', '187', '188']
  const digits = Array.from(h.subarray(1, 9), (b) => String(b % 10)).join('')
  return prefixes[h[0] % prefixes.length] + digits
}

/** WeChat's errmsg for the errcodes the fake is asked to give. */
const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40013: 'invalid appid',
  40003: 'invalid openid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  41030: 'invalid page',
  43101: 'user refuse to accept the msg',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'code blocked',
  41008: 'missing code',
  42001: 'access_token expired',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
  87014: 'risky content',
}

function wechatError(errcode: number, detail?: string): Response {
  const rid = `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`
  return HttpResponse.json({ errcode, errmsg: `${ERRMSG[errcode] ?? 'error'}${detail ? ` ${detail}` : ''} rid: ${rid}` })
}

/**
 * The first template value WeChat would refuse (errmsg detail as WeChat words it, e.g.
 * `data.thing1.value invalid`), or null. WeChat's published limits, written out independently of the
 * dispatcher's formatting so that a mistake there shows up here.
 */
export function invalidTemplateValue(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || Object.keys(data).length === 0) return 'data invalid'
  const rules: [RegExp, (v: string) => boolean][] = [
    [/^thing\d+$/, (v) => [...v].length <= 20],
    [/^short_thing\d+$/, (v) => [...v].length <= 5],
    [/^phrase\d+$/, (v) => /^\p{Script=Han}{1,5}$/u.test(v)],
    [/^name\d+$/, (v) => [...v].length <= (/^[\x20-\x7e]+$/.test(v) ? 20 : 10)],
    [/^character_string\d+$/, (v) => /^[\x21-\x7e]{1,32}$/.test(v)],
    [/^number\d+$/, (v) => /^\d+(\.\d+)?$/.test(v) && v.length <= 32],
    [/^letter\d+$/, (v) => /^[A-Za-z]{1,32}$/.test(v)],
    [/^amount\d+$/, (v) => /^\p{Sc}?\d{1,10}(\.\d+)?元?$/u.test(v) && v.replace(/\D/g, '').length <= 10],
    [/^phone_number\d+$/, (v) => v.length <= 17 && /^[\d\p{P}\p{S}]+$/u.test(v)],
    [/^(time|date)\d+$/, (v) => /\d/.test(v) && !/[A-Za-z]/.test(v)],
  ]
  for (const [key, entry] of Object.entries(data as Record<string, unknown>)) {
    const value = (entry as { value?: unknown } | null)?.value
    if (typeof value !== 'string' || value === '') return `data.${key}.value is empty`
    const rule = rules.find(([k]) => k.test(key))
    if (rule && !rule[1](value)) return `data.${key}.value invalid`
  }
  return null
}

/** The answer a non-'ok' scenario calls for, or null to answer normally. */
async function scenarioAnswer(scenario: Scenario, latencyMs = 0): Promise<Response | null> {
  if (latencyMs > 0) await delay(latencyMs)
  if (scenario === 'ok') return null
  if (typeof scenario === 'number') return wechatError(scenario)
  if (scenario === 'http_500') {
    return new HttpResponse('<html><body><h1>500 Internal Server Error</h1></body></html>', {
      status: 500,
      headers: { 'Content-Type': 'text/html' },
    })
  }
  if (scenario === 'not_json') return HttpResponse.text('<html>系统维护中</html>', { headers: { 'Content-Type': 'text/html' } })
  if (scenario === 'hang') await delay('infinite')
  // 'drop': in-process msw turns this into a network error; the HTTP server cuts the connection before
  // the handlers run (./server.ts).
  return HttpResponse.error()
}

async function jsonBody(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const b = await request.json()
    return typeof b === 'object' && b !== null ? (b as Record<string, unknown>) : null
  } catch {
    return null
  }
}

function issueAccessToken(state: FakeWechatState): string {
  state.accessToken = `fake_at_${randomBytes(24).toString('base64url')}`
  return state.accessToken
}

/** The signature WeChat puts on a message push: sha1 of token, timestamp and nonce, sorted and joined. */
export function pushSignature(token: string, timestamp: string, nonce: string): string {
  return createHash('sha1').update([token, timestamp, nonce].sort().join('')).digest('hex')
}

function traceId(): string {
  return `${randomBytes(8).toString('hex')}-${randomBytes(4).toString('hex')}`
}

/** The verdict for a text: risky for a risky word, else the switchable verdict. */
function verdictForText(state: FakeWechatState, content: string): ContentVerdict {
  if (state.riskyWords.some((w) => w && content.includes(w))) return { suggest: 'risky', label: 20006 }
  return state.contentVerdict
}

/**
 * What WeChat does after mediaCheckAsync: downloads the media, judges it, and pushes a wxa_media_check
 * event (JSON, plaintext mode) to the message-push URL with its signature in the query.
 */
async function pushMediaVerdict(state: FakeWechatState, id: string, mediaUrl: string, openid: string) {
  await delay(state.mediaPushDelayMs)
  let mediaStatus = 0
  try {
    const media = await fetch(mediaUrl)
    mediaStatus = media.status
    await media.arrayBuffer()
  } catch {
    mediaStatus = 0
  }
  if (!state.pushUrl) return
  const verdict = state.contentVerdict
  const event = {
    ToUserName: 'gh_fake000000',
    FromUserName: openid,
    CreateTime: Math.floor(Date.now() / 1000),
    MsgType: 'event',
    Event: 'wxa_media_check',
    appid: state.appId,
    trace_id: id,
    version: 2,
    detail: [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 }],
    errcode: 0,
    errmsg: 'ok',
    result: { suggest: verdict.suggest, label: verdict.label },
  }
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(6).toString('hex')
  const url = new URL(state.pushUrl)
  url.searchParams.set('signature', pushSignature(state.pushToken, timestamp, nonce))
  url.searchParams.set('timestamp', timestamp)
  url.searchParams.set('nonce', nonce)
  let status = 0
  let body = ''
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) })
    status = res.status
    body = await res.text()
  } catch (e) {
    body = String(e)
  }
  state.pushes.push({ traceId: id, at: Date.now(), status, body, mediaStatus })
}

/** The handlers, for requests to `base` (an origin such as https://api.weixin.qq.com; any origin by default). */
export function createWechatHandlers(state: FakeWechatState, base = '*'): RequestHandler[] {
  const record = (endpoint: Endpoint, params: Record<string, unknown>) => {
    const scenario = state.scenarios[endpoint]
    state.calls.push({ endpoint, at: Date.now(), params, scenario })
    return scenario
  }
  const answerFor = (endpoint: Endpoint, params: Record<string, unknown>) => scenarioAnswer(record(endpoint, params), state.latencyMs)

  return [
    http.get(`${base}/sns/jscode2session`, async ({ request }) => {
      const q = new URL(request.url).searchParams
      const code = q.get('js_code') ?? ''
      const answer = await answerFor('jscode2session', { appid: q.get('appid'), js_code: code })
      if (answer) return answer
      if (q.get('appid') !== state.appId) return wechatError(40013)
      if (q.get('secret') !== state.secret) return wechatError(40125)
      if (!code) return wechatError(41008)
      if (q.get('grant_type') !== 'authorization_code') return wechatError(40002)
      return HttpResponse.json({
        openid: openidForCode(code, state.appId),
        session_key: createHash('sha256').update(`session:${code}`).digest('base64').slice(0, 24),
      })
    }),

    http.post(`${base}/cgi-bin/stable_token`, async ({ request }) => {
      const body = await jsonBody(request)
      const answer = await answerFor('stable_token', { appid: body?.appid, force_refresh: body?.force_refresh ?? false })
      if (answer) return answer
      if (!body) return wechatError(47001)
      if (body.grant_type !== 'client_credential') return wechatError(40002)
      if (body.appid !== state.appId) return wechatError(40013)
      if (body.secret !== state.secret) return wechatError(40125)
      // Normal mode hands out the current token; force_refresh replaces it, and the old one stops working.
      const token = body.force_refresh === true || !state.accessToken ? issueAccessToken(state) : state.accessToken
      return HttpResponse.json({ access_token: token, expires_in: 7200 })
    }),

    http.post(`${base}/wxa/business/getuserphonenumber`, async ({ request }) => {
      const accessToken = new URL(request.url).searchParams.get('access_token') ?? ''
      const body = await jsonBody(request)
      const code = typeof body?.code === 'string' ? body.code : ''
      const answer = await answerFor('getuserphonenumber', { code, access_token: accessToken })
      if (answer) return answer
      if (!accessToken || accessToken !== state.accessToken) return wechatError(40001)
      if (!body) return wechatError(47001)
      if (!code) return wechatError(40029)
      const phone = phoneForCode(code)
      return HttpResponse.json({
        errcode: 0,
        errmsg: 'ok',
        phone_info: {
          phoneNumber: phone,
          purePhoneNumber: phone,
          countryCode: '86',
          watermark: { timestamp: Math.floor(Date.now() / 1000), appid: state.appId },
        },
      })
    }),

    http.post(`${base}/cgi-bin/message/subscribe/send`, async ({ request }) => {
      const accessToken = new URL(request.url).searchParams.get('access_token') ?? ''
      const body = await jsonBody(request)
      const { touser, template_id, page, data, miniprogram_state, lang } = body ?? {}
      const answer = await answerFor('subscribe_send', { access_token: accessToken, touser, template_id, page, data, miniprogram_state, lang })
      if (answer) return answer
      if (!accessToken || accessToken !== state.accessToken) return wechatError(40001)
      if (!body) return wechatError(47001)
      if (typeof touser !== 'string' || !touser) return wechatError(40003)
      if (typeof template_id !== 'string' || !template_id) return wechatError(40037)
      // WeChat also checks that the page exists in the released version; the fake only checks its shape.
      if (page !== undefined && (typeof page !== 'string' || !/^[A-Za-z0-9/_-]+(\?.*)?$/.test(page))) return wechatError(41030)
      const invalid = invalidTemplateValue(data)
      if (invalid) return wechatError(47003, invalid)
      return HttpResponse.json({ errcode: 0, errmsg: 'ok', msgid: 3_000_000_000 + state.calls.length })
    }),

    http.post(`${base}/wxa/msg_sec_check`, async ({ request }) => {
      const accessToken = new URL(request.url).searchParams.get('access_token') ?? ''
      const body = await jsonBody(request)
      const { content, version, scene, openid } = body ?? {}
      const answer = await answerFor('msg_sec_check', { access_token: accessToken, content, version, scene, openid })
      if (answer) return answer
      if (!accessToken || accessToken !== state.accessToken) return wechatError(40001)
      if (!body || typeof content !== 'string' || content === '' || [...content].length > 2500) return wechatError(47001)
      const verdict = verdictForText(state, content)
      if (version !== 2) {
        // v1: errcode 87014 for risky content, ok otherwise.
        return verdict.suggest === 'risky' ? wechatError(87014) : HttpResponse.json({ errcode: 0, errmsg: 'ok' })
      }
      if (typeof openid !== 'string' || !openid) return wechatError(40003)
      if (![1, 2, 3, 4].includes(scene as number)) return wechatError(47001)
      return HttpResponse.json({
        errcode: 0,
        errmsg: 'ok',
        result: verdict,
        detail: [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 }],
        trace_id: traceId(),
      })
    }),

    http.post(`${base}/wxa/media_check_async`, async ({ request }) => {
      const accessToken = new URL(request.url).searchParams.get('access_token') ?? ''
      const body = await jsonBody(request)
      const { media_url, media_type, version, scene, openid } = body ?? {}
      const answer = await answerFor('media_check_async', { access_token: accessToken, media_url, media_type, version, scene, openid })
      if (answer) return answer
      if (!accessToken || accessToken !== state.accessToken) return wechatError(40001)
      if (!body || typeof media_url !== 'string' || !/^https?:\/\//.test(media_url) || ![1, 2].includes(media_type as number)) return wechatError(47001)
      if (version !== 2 || ![1, 2, 3, 4].includes(scene as number)) return wechatError(47001)
      if (typeof openid !== 'string' || !openid) return wechatError(40003)
      const id = traceId()
      void pushMediaVerdict(state, id, media_url, openid)
      return HttpResponse.json({ errcode: 0, errmsg: 'ok', trace_id: id })
    }),
  ]
}
