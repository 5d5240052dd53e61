/**
 * Calling an edge function through the local backend the way the app does (POST, JSON, a bearer token),
 * keeping the exact status, headers and JSON body for assertions.
 */
import type { TestBackend } from './backend'

export interface FunctionAnswer<T = Record<string, unknown>> {
  status: number
  headers: Headers
  body: T
}

export interface FunctionError {
  error: { code: string; message: string; retryable: boolean }
}

export async function callFunction<T = Record<string, unknown>>(
  be: Pick<TestBackend, 'url' | 'anonKey'>,
  name: string,
  opts: { body?: unknown; rawBody?: string; token?: string | null; method?: string } = {},
): Promise<FunctionAnswer<T>> {
  const token = opts.token === undefined ? be.anonKey : opts.token
  const res = await fetch(`${be.url}/functions/v1/${name}`, {
    method: opts.method ?? 'POST',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      apikey: be.anonKey,
      'Content-Type': 'application/json',
    },
    body: opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T }
}
