// JSON responses with CORS headers (the H5 build calls the functions from a browser), and reading a
// JSON object body.
import { AppError } from './errors.ts'

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json; charset=utf-8', ...headers },
  })
}

/** The answer to a CORS preflight. */
export function preflight(): Response {
  return new Response(null, { status: 204, headers: corsHeaders })
}

/** Only POST is served (besides the preflight). */
export function requirePost(req: Request): void {
  if (req.method !== 'POST') {
    throw new AppError('method_not_allowed', undefined, { headers: { Allow: 'POST, OPTIONS' } })
  }
}

/** The request body as a JSON object; anything else is a 400 `bad_request`. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = JSON.parse(await req.text())
  } catch {
    throw new AppError('bad_request', '请求格式不正确，应为 JSON')
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AppError('bad_request', '请求格式不正确，应为 JSON 对象')
  }
  return body as Record<string, unknown>
}

/**
 * The `code` field WeChat gave the mini-program (wx.login or the getPhoneNumber button): a non-blank
 * string of at most 128 characters, trimmed.
 */
export function requireCode(body: Record<string, unknown>, missingMessage: string): string {
  const code = typeof body.code === 'string' ? body.code.trim() : ''
  if (!code) throw new AppError('bad_request', missingMessage)
  if (code.length > 128) throw new AppError('bad_request', '授权凭证格式不正确')
  return code
}

/** Reads a variable; blank counts as missing. */
export type Env = (name: string) => string | undefined

export function optionalEnv(env: Env, name: string): string | undefined {
  const v = env(name)?.trim()
  return v ? v : undefined
}

/** A variable the function cannot work without: missing is a 500 `server_misconfigured`. */
export function requireEnv(env: Env, name: string): string {
  const v = optionalEnv(env, name)
  if (!v) throw new AppError('server_misconfigured', undefined, { detail: `${name} is not set` })
  return v
}

export type Logger = (line: string) => void

/**
 * The response for anything thrown inside a handler. An AppError answers its own status and message;
 * anything else is a defect and answers 500 `internal` — the stack goes to the log, never to the client.
 */
export function errorResponse(e: unknown, log: Logger = console.error): Response {
  const err = e instanceof AppError ? e : new AppError('internal', undefined, { cause: e })
  if (!(e instanceof AppError)) {
    log(`unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  } else if (err.status >= 500 || err.detail) {
    log(`${err.code}${err.detail ? `: ${err.detail}` : ''}`)
  }
  return json(
    { error: { code: err.code, message: err.message, retryable: err.retryable } },
    err.status,
    err.headers,
  )
}
