/**
 * The fetch given to supabase-js: the platform fetch plus what to do when the server refuses our token.
 * supabase-js has already put `Authorization: Bearer <token from the session>` on the request. When the
 * answer is 401 for a user token (expired early, signing key rotated, account re-created):
 *
 *   1. ask the session for a replacement once (a silent sign-in, shared with any other request that got
 *      the same 401 meanwhile),
 *   2. send the request again, once, with the new token, through the platform fetch itself, so a second
 *      401 can never start another round,
 *   3. if there is no new token or the server refuses that one too, answer 401 with a body that carries a
 *      Chinese message in both shapes the app reads (PostgREST's `{ code, message }` and our functions'
 *      `{ error: { code, message } }`), so the page shows why instead of a raw error.
 *
 * A request that went out without a user token (the anon key) is not retried: if it went out so because
 * the silent sign-in had just failed, the 401 is answered with that failure's message.
 */
import { ERROR_MESSAGES, type AppError } from '../errors'
import { HeadersPolyfill } from './polyfills/headers'

export interface SessionHooks {
  /** The anon key supabase-js falls back to when there is no user token. */
  anonKey: string
  renewAccessToken(rejected: string): Promise<string>
  lastSignInError(): AppError | null
}

type FetchArgs = Parameters<typeof fetch>

function headerRecord(headers: unknown): Record<string, string> {
  const record: Record<string, string> = {}
  if (headers == null) return record
  new HeadersPolyfill(headers as ConstructorParameters<typeof HeadersPolyfill>[0]).forEach((value, name) => {
    record[name] = value
  })
  return record
}

function bearerOf(headers: Record<string, string>): string | null {
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')
  return match ? match[1] : null
}

/**
 * A 401 response, shaped like the platform's. Built from the platform fetch's own Response where there is
 * one (H5); the mini-program has no Response, so there a minimal one with what supabase-js reads.
 */
function unauthorizedResponse(url: string, message: string, reason: string): Response {
  const body = JSON.stringify({
    code: 'PGRST301',
    message,
    details: reason,
    hint: null,
    error: { code: 'unauthorized', message, retryable: false },
  })
  const headers = { 'content-type': 'application/json; charset=utf-8' }
  if (typeof Response === 'function') return new Response(body, { status: 401, statusText: 'Unauthorized', headers })
  let used = false
  const read = async (): Promise<string> => {
    if (used) throw new TypeError('Body has already been consumed.')
    used = true
    return body
  }
  const response = {
    ok: false,
    status: 401,
    statusText: 'Unauthorized',
    url,
    redirected: false,
    type: 'basic',
    headers: new HeadersPolyfill(headers),
    get bodyUsed() {
      return used
    },
    text: read,
    json: async () => JSON.parse(await read()) as unknown,
    clone: () => unauthorizedResponse(url, message, reason),
  }
  return response as unknown as Response
}

function urlOf(input: FetchArgs[0]): string {
  if (typeof input === 'string') return input
  if (typeof input === 'object' && input !== null && 'url' in input && typeof input.url === 'string') return input.url
  return String(input)
}

export function createAuthFetch(platformFetch: typeof fetch, session: SessionHooks): typeof fetch {
  return async (input, init = {}) => {
    const response = await platformFetch(input, init)
    if (response.status !== 401) return response

    const headers = headerRecord(init.headers)
    const sent = bearerOf(headers)
    if (!sent || sent === session.anonKey) {
      const failure = session.lastSignInError()
      if (!failure) return response
      await response.text().catch(() => undefined)
      return unauthorizedResponse(urlOf(input), failure.message, `silent sign-in had failed: ${failure.detail}`)
    }

    let token: string
    try {
      token = await session.renewAccessToken(sent)
    } catch (caught) {
      await response.text().catch(() => undefined)
      const failure = caught as Partial<AppError>
      const message = typeof failure.message === 'string' && failure.message !== '' ? failure.message : ERROR_MESSAGES.unauthorized
      return unauthorizedResponse(urlOf(input), message, `token refused and not renewed: ${failure.detail ?? String(caught)}`)
    }
    // The refused answer is dropped; its body is read so the connection can be reused.
    await response.text().catch(() => undefined)
    const retried = await platformFetch(input, { ...init, headers: { ...headers, authorization: `Bearer ${token}` } })
    if (retried.status !== 401) return retried
    await retried.text().catch(() => undefined)
    return unauthorizedResponse(urlOf(input), ERROR_MESSAGES.unauthorized, 'the renewed token was refused as well')
  }
}
