/**
 * A `fetch` for supabase-js over `Taro.request`, for the mini-program runtime where fetch, Request and
 * Response do not exist. It accepts what supabase-js passes (a URL string or object, method, headers as a
 * Headers object, array or record, a string body, an AbortSignal) and resolves with a Response-like object
 * (status, ok, statusText, headers.get, text(), json()). Like fetch, it resolves for every HTTP status and
 * rejects with a TypeError only when no response arrived, or with an AbortError when aborted.
 *
 * wx.request cannot send PATCH, so a PATCH request (supabase-js `update()`) is rejected with a TypeError
 * that says so instead of being sent as something else: mutations from the mini-program go through RPC.
 */
import { abortError } from './polyfills/abort'
import { HeadersPolyfill } from './polyfills/headers'

type RequestMethod = 'OPTIONS' | 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'TRACE' | 'CONNECT'

const WX_METHODS: readonly RequestMethod[] = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT']

/** The subset of Taro.request's option this adapter sends. */
export interface TaroRequestOption {
  url: string
  method: RequestMethod
  header: Record<string, string>
  data?: string | ArrayBuffer
  /** Anything but "json" stops wx.request from parsing the body, so text() sees it unchanged. */
  dataType: string
  responseType: 'text' | 'arraybuffer'
}

/** The subset of Taro.request's success result this adapter reads. */
export interface TaroRequestResult {
  statusCode: number
  header?: Record<string, unknown>
  data?: unknown
}

/** Taro.request: a promise for the result that also has abort(). */
export type TaroRequest = (option: TaroRequestOption) => PromiseLike<TaroRequestResult> & { abort?: () => void }

/** What `fetch` callers may pass as the first argument. */
type FetchInput = string | { href: string } | { url: string } | { toString(): string }

interface FetchInit {
  method?: string
  headers?: unknown
  body?: unknown
  signal?: {
    aborted: boolean
    reason?: unknown
    addEventListener(type: 'abort', listener: () => void): void
    removeEventListener(type: 'abort', listener: () => void): void
  } | null
}

export interface TaroResponse {
  readonly ok: boolean
  readonly status: number
  readonly statusText: string
  readonly url: string
  readonly redirected: false
  readonly type: 'basic'
  readonly headers: HeadersPolyfill
  readonly bodyUsed: boolean
  text(): Promise<string>
  json(): Promise<unknown>
  arrayBuffer(): Promise<ArrayBuffer>
  clone(): TaroResponse
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

function inputUrl(input: FetchInput): string {
  if (typeof input === 'string') return input
  if ('href' in input && typeof input.href === 'string') return input.href
  if ('url' in input && typeof input.url === 'string') return input.url
  return String(input)
}

function requestHeaders(headers: unknown): Record<string, string> {
  const record: Record<string, string> = {}
  if (headers == null) return record
  new HeadersPolyfill(headers as ConstructorParameters<typeof HeadersPolyfill>[0]).forEach((value, name) => {
    record[name] = value
  })
  return record
}

function requestBody(body: unknown): string | ArrayBuffer | undefined {
  if (body == null) return undefined
  if (typeof body === 'string' || body instanceof ArrayBuffer) return body
  if (ArrayBuffer.isView(body)) return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
  throw new TypeError('Taro fetch adapter: only string and ArrayBuffer request bodies are supported')
}

function responseHeaders(header: Record<string, unknown> | undefined): HeadersPolyfill {
  const headers = new HeadersPolyfill()
  for (const [name, value] of Object.entries(header ?? {})) {
    if (value == null) continue
    // Set-Cookie may come back as an array.
    for (const item of Array.isArray(value) ? value : [value]) {
      try {
        headers.append(name, String(item))
      } catch {
        // A malformed header name from the server is dropped, as browsers do.
      }
    }
  }
  return headers
}

function utf8Bytes(text: string): ArrayBuffer {
  const bytes: number[] = []
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (code < 0x80) bytes.push(code)
    else if (code < 0x800) bytes.push(0xc0 | (code >> 6), 0x80 | (code & 63))
    else if (code < 0x10000) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
    else bytes.push(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 63), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63))
  }
  return new Uint8Array(bytes).buffer
}

/** The body as text; wx.request hands back a string when dataType is not "json". */
function bodyText(data: unknown): string {
  if (data == null) return ''
  if (typeof data === 'string') return data
  // Some runtimes parse JSON whatever dataType says; turn it back into the text the server sent.
  return JSON.stringify(data)
}

function createResponse(url: string, result: TaroRequestResult): TaroResponse {
  const text = bodyText(result.data)
  const status = result.statusCode
  let bodyUsed = false
  const consume = (): string => {
    if (bodyUsed) throw new TypeError('Body has already been consumed.')
    bodyUsed = true
    return text
  }
  const response: TaroResponse = {
    ok: status >= 200 && status < 300,
    status,
    statusText: STATUS_TEXT[status] ?? '',
    url,
    redirected: false,
    type: 'basic',
    headers: responseHeaders(result.header),
    get bodyUsed() {
      return bodyUsed
    },
    text: async () => consume(),
    json: async () => JSON.parse(consume()) as unknown,
    arrayBuffer: async () => utf8Bytes(consume()),
    clone: () => {
      if (bodyUsed) throw new TypeError('Response body is already used')
      return createResponse(url, result)
    },
  }
  return response
}

function describeFailure(failure: unknown): string {
  if (failure && typeof failure === 'object' && 'errMsg' in failure) return String(failure.errMsg)
  if (failure instanceof Error) return failure.message
  return String(failure)
}

/**
 * Builds the fetch. The caller passes `Taro.request` (tests pass a fake); the result is typed as the
 * standard fetch because that is what supabase-js's `global.fetch` option expects.
 */
export function createTaroFetch(request: TaroRequest): typeof fetch {
  const taroFetch = (input: FetchInput, init: FetchInit = {}): Promise<TaroResponse> =>
    new Promise<TaroResponse>((resolve, reject) => {
      const url = inputUrl(input)
      const method = (init.method ?? 'GET').toUpperCase()
      const signal = init.signal ?? null

      if (signal?.aborted) {
        reject(abortError(signal.reason))
        return
      }
      if (!WX_METHODS.includes(method as RequestMethod)) {
        reject(
          new TypeError(
            method === 'PATCH'
              ? 'wx.request cannot send PATCH: call an RPC function for this change instead of update()'
              : `wx.request cannot send ${method}`,
          ),
        )
        return
      }

      let option: TaroRequestOption
      try {
        const data = requestBody(init.body)
        option = {
          url,
          method: method as RequestMethod,
          header: requestHeaders(init.headers),
          dataType: '其他',
          responseType: 'text',
          ...(data === undefined ? {} : { data }),
        }
      } catch (error) {
        reject(error)
        return
      }

      let settled = false
      const onAbort = (): void => {
        if (settled) return
        settled = true
        task.abort?.()
        reject(abortError(signal?.reason))
      }
      const task = request(option)
      signal?.addEventListener('abort', onAbort)
      task.then(
        (result) => {
          signal?.removeEventListener('abort', onAbort)
          if (settled) return
          settled = true
          resolve(createResponse(url, result))
        },
        (failure: unknown) => {
          signal?.removeEventListener('abort', onAbort)
          if (settled) return
          settled = true
          reject(new TypeError(`Network request failed: ${describeFailure(failure)}`, { cause: failure }))
        },
      )
    })
  return taroFetch as unknown as typeof fetch
}
