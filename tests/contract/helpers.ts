/**
 * Small helpers the contract tests share: PostgREST's error shape as supabase-js reports it, plain
 * fetch for what supabase-js cannot express (HEAD, Range, Prefer), and the seeded posts by name.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { expect } from 'vitest'
import type { TestBackend } from '../support/backend'
import type { Client } from '../support/clients'

/** The seeded posts (supabase/seed.sql). */
export const posts = {
  /** notice by admin, pinned, published 6 days ago, tags {补贴,申报} */
  deadline: '10000000-0000-4000-8000-000000000001',
  /** policy by butler1, published 1 day ago, tags {补贴} */
  subsidy: '10000000-0000-4000-8000-000000000002',
  /** policy by butler2, published 3 days ago, tags {贷款} */
  loan: '10000000-0000-4000-8000-000000000003',
  /** project by butler1, published 2 days ago, tags {项目} */
  breakfast: '10000000-0000-4000-8000-000000000004',
  /** story by admin, published 4 days ago, tags {典型} */
  story: '10000000-0000-4000-8000-000000000005',
  /** notice by butler2, published 5 days ago, tags {培训} */
  openDay: '10000000-0000-4000-8000-000000000006',
  /** policy by butler1, draft (no published_at), tags {补贴} */
  draft: '10000000-0000-4000-8000-000000000007',
  /** project by butler2, published two days from now, tags {培训} */
  scheduled: '10000000-0000-4000-8000-000000000008',
} as const

/** The six posts anyone may read, newest first (the pinned notice is the oldest). */
export const visibleNewestFirst = [posts.subsidy, posts.breakfast, posts.loan, posts.story, posts.openDay, posts.deadline]

interface ResultLike {
  error: { code?: string; message: string; details?: unknown; hint?: unknown } | null
  status: number
  data?: unknown
}

/**
 * Asserts PostgREST's error: the HTTP status, the body shape {code, details, hint, message} and the
 * code and message themselves.
 */
export function expectPostgrestError(res: ResultLike, status: number, code: string, message: string | RegExp) {
  expect(res.status).toBe(status)
  expect(res.data ?? null).toBeNull()
  expect(res.error).not.toBeNull()
  expect(Object.keys(res.error!).sort()).toEqual(['code', 'details', 'hint', 'message'])
  expect(res.error!.code).toBe(code)
  if (typeof message === 'string') expect(res.error!.message).toBe(message)
  else expect(res.error!.message).toMatch(message)
}

/** A request to /rest/v1 with plain fetch; sends the anon key as apikey unless told otherwise. */
export function rest(
  be: Pick<TestBackend, 'url' | 'anonKey'>,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; token?: string; apikey?: string | null } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers }
  const apikey = init.apikey === undefined ? be.anonKey : init.apikey
  if (apikey !== null) headers.apikey = apikey
  if (init.token) headers.Authorization = `Bearer ${init.token}`
  if (init.body !== undefined) headers['Content-Type'] ??= 'application/json'
  return fetch(`${be.url}/rest/v1${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
}

/** Retries `probe` until it returns true or `timeoutMs` passes; for changes that land asynchronously. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000, intervalMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe()) return true
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** A client without the generated types, for the test-only tables and functions a test creates. */
export const untyped = (client: Client) => client as unknown as SupabaseClient
