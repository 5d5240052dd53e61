// Storage as the caller: every request carries the person's own token, so the bucket policies on
// storage.objects decide what they may see and remove, as they do for the app itself. Plain fetch rather
// than supabase-js, to ask for the first bytes only and to read Storage's error codes as they are.
import { AppError } from '../_shared/errors.ts'
import { type Env, requireEnv } from '../_shared/http.ts'
import type { ObjectHead, StoredObject, VerifyDeps } from './handler.ts'

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

const NOT_FOUND = '文件不存在或无权查看'

/** Storage's error body: `{ statusCode: "404", code: "NoSuchKey", message }` (HTTP 400 for most refusals). */
async function storageFailure(res: Response, what: string): Promise<AppError> {
  let body: { statusCode?: string; code?: string; message?: string } = {}
  try {
    body = await res.json()
  } catch {
    /* not JSON: the HTTP status says enough */
  }
  const status = Number(body.statusCode ?? res.status)
  const detail = `${what}: HTTP ${res.status} ${body.code ?? ''} ${body.message ?? ''}`.trim()
  if (status === 404) return new AppError('not_found', NOT_FOUND, { detail })
  if (status === 401 || (status === 403 && body.code === 'AccessDenied' && !/row-level security/.test(body.message ?? ''))) {
    return new AppError('unauthorized', undefined, { detail })
  }
  if (status === 403) return new AppError('forbidden', '没有权限处理该文件', { detail })
  return new AppError('internal', undefined, { detail })
}

export function storageAsCaller(env: Env, fetchFn: Fetch): Pick<VerifyDeps, 'objectInfo' | 'readHead' | 'remove'> {
  const base = () => `${requireEnv(env, 'SUPABASE_URL').replace(/\/+$/, '')}/storage/v1/object`
  const headers = (token: string, extra: Record<string, string> = {}) => ({
    Authorization: `Bearer ${token}`,
    apikey: requireEnv(env, 'SUPABASE_ANON_KEY'),
    ...extra,
  })
  const path = (bucket: string, name: string) => [bucket, ...name.split('/')].map(encodeURIComponent).join('/')

  return {
    async objectInfo(token, bucket, name): Promise<StoredObject> {
      const res = await fetchFn(`${base()}/info/authenticated/${path(bucket, name)}`, { headers: headers(token) })
      if (!res.ok) throw await storageFailure(res, 'object info')
      const info = (await res.json()) as { version?: string | null; size?: number | null; content_type?: string | null; etag?: string | null }
      if (!info.version) throw new AppError('internal', undefined, { detail: `object info of ${bucket}/${name} has no version` })
      return { version: info.version, size: Number(info.size ?? 0), contentType: info.content_type ?? '', etag: info.etag ?? null }
    },

    async readHead(token, bucket, name, count): Promise<ObjectHead> {
      // Range asks hosted Storage for the first bytes only; a server that ignores it sends the whole file,
      // of which no more than `count` bytes are read before the body is cancelled.
      const res = await fetchFn(`${base()}/authenticated/${path(bucket, name)}`, {
        headers: headers(token, { Range: `bytes=0-${count - 1}` }),
      })
      if (!res.ok) throw await storageFailure(res, 'object download')
      const etag = res.headers.get('etag')
      const bytes = new Uint8Array(count)
      let got = 0
      const reader = res.body?.getReader()
      if (reader) {
        try {
          while (got < count) {
            const { done, value } = await reader.read()
            if (done) break
            const take = value.subarray(0, count - got)
            bytes.set(take, got)
            got += take.length
          }
        } finally {
          await reader.cancel().catch(() => {})
        }
      }
      return { bytes: bytes.subarray(0, got), etag }
    },

    async remove(token, bucket, name, version): Promise<boolean> {
      // Storage's remove has no version condition; the delete policy reads this header from
      // request.headers and deletes the row only while it is still this version
      // (private.is_expected_version, migration 20261202090000).
      const res = await fetchFn(`${base()}/${encodeURIComponent(bucket)}`, {
        method: 'DELETE',
        headers: headers(token, { 'Content-Type': 'application/json', 'x-remove-version': version }),
        body: JSON.stringify({ prefixes: [name] }),
      })
      if (!res.ok) throw await storageFailure(res, 'object remove')
      const removed = (await res.json()) as unknown[]
      return Array.isArray(removed) && removed.length > 0
    },
  }
}
