// wechat-events: the mini-program's message-push URL (消息推送, configured in mp.weixin.qq.com →
// 开发管理 → 开发设置 → 消息推送: this function's URL, the token WECHAT_PUSH_TOKEN, plaintext mode, data
// format JSON). WeChat calls it without a Supabase token, so it is deployed with verify_jwt = false
// (supabase/config.toml); WeChat's own signature is what lets a request in.
//
//   GET  ?signature&timestamp&nonce&echostr   the URL check when the push is configured: answers echostr
//   POST ?signature&timestamp&nonce  {JSON}   an event; answers "success" (WeChat retries otherwise)
//   403  a missing or wrong signature, or a timestamp more than 5 minutes off (a replay)
//
// signature = sha1 of token, timestamp and nonce sorted and joined (WeChat's rule for server URLs).
// Events handled:
//   wxa_media_check  the verdict of mediaCheckAsync on a chat image or voice clip: recorded by trace_id
//                    through public.record_media_check (service role), which publishes or flags the
//                    message. An event that carries an errcode (WeChat could not check the file) is
//                    acknowledged and left alone: the check is submitted again when its wait runs out.
// Every other event is acknowledged and ignored.
import { AppError } from '../_shared/errors.ts'
import { type Env, type Logger, errorResponse, requireEnv } from '../_shared/http.ts'

export interface EventsDeps {
  env: Env
  now: () => number
  /** public.record_media_check: false when no check waits for that trace_id. */
  recordMediaCheck: (traceId: string, suggest: 'pass' | 'risky' | 'review', label: number | null, detail: string | null) => Promise<boolean>
  log?: Logger
}

const MAX_SKEW_SECONDS = 5 * 60

export async function wechatSignature(token: string, timestamp: string, nonce: string): Promise<string> {
  const text = [token, timestamp, nonce].sort().join('')
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

const text = (body: string, status = 200) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

export function createHandler(deps: EventsDeps): (req: Request) => Promise<Response> {
  const log = deps.log ?? (() => undefined)
  return async (req) => {
    try {
      if (req.method !== 'GET' && req.method !== 'POST') {
        throw new AppError('method_not_allowed', undefined, { headers: { Allow: 'GET, POST' } })
      }
      const token = requireEnv(deps.env, 'WECHAT_PUSH_TOKEN')
      const q = new URL(req.url).searchParams
      const signature = q.get('signature') ?? ''
      const timestamp = q.get('timestamp') ?? ''
      const nonce = q.get('nonce') ?? ''
      if (!/^\d{1,12}$/.test(timestamp) || !nonce || nonce.length > 64 || !/^[0-9a-f]{40}$/.test(signature)) {
        throw new AppError('forbidden', '签名无效', { detail: 'missing or malformed signature parameters' })
      }
      if (!constantTimeEqual(await wechatSignature(token, timestamp, nonce), signature)) {
        throw new AppError('forbidden', '签名无效', { detail: 'signature mismatch' })
      }
      if (Math.abs(deps.now() / 1000 - Number(timestamp)) > MAX_SKEW_SECONDS) {
        throw new AppError('forbidden', '签名已过期', { detail: `timestamp ${timestamp} is too far from now` })
      }
      if (req.method === 'GET') return text(q.get('echostr') ?? '')

      const raw = await req.text()
      if (raw.length > 64 * 1024) throw new AppError('bad_request', '请求内容过长')
      let event: Record<string, unknown>
      try {
        const parsed = JSON.parse(raw)
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
        event = parsed as Record<string, unknown>
      } catch {
        throw new AppError('bad_request', '请求格式不正确，应为 JSON（消息推送的数据格式请选 JSON）')
      }
      if (event.MsgType === 'event' && event.Event === 'wxa_media_check') {
        const traceId = typeof event.trace_id === 'string' ? event.trace_id : ''
        const errcode = Number(event.errcode ?? 0)
        const result = (event.result ?? {}) as { suggest?: unknown; label?: unknown }
        const suggest = result.suggest
        if (!traceId) throw new AppError('bad_request', '事件缺少 trace_id')
        if (errcode !== 0) {
          log(`wxa_media_check ${traceId}: WeChat could not check it (errcode ${errcode} ${String(event.errmsg ?? '')}); it is submitted again later`)
        } else if (suggest === 'pass' || suggest === 'risky' || suggest === 'review') {
          const label = typeof result.label === 'number' ? result.label : null
          const detail = Array.isArray(event.detail) ? JSON.stringify(event.detail).slice(0, 500) : null
          const known = await deps.recordMediaCheck(traceId, suggest, label, detail)
          if (!known) log(`wxa_media_check ${traceId}: no check waits for it (judged already, withdrawn, or submitted again since)`)
        } else {
          throw new AppError('bad_request', '事件缺少 result.suggest')
        }
      }
      return text('success')
    } catch (e) {
      return errorResponse(e, deps.log)
    }
  }
}
