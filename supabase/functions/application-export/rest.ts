// public.batch_export through /rest/v1 with the caller's own token, so the database's own rules decide
// (who may export which batch, in which state) and its Chinese messages reach the person unchanged.
// One call returns the whole roster as one JSON value: a set-returning RPC would be cut at the API's
// row limit (1,000), and paging would repeat the export and its audit row.
import { AppError } from '../_shared/errors.ts'
import { type Env, requireEnv } from '../_shared/http.ts'
import type { ExportDeps, ExportDocument } from './handler.ts'

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>

/** A PostgREST error body as an AppError the app can show: the database's message when it is Chinese. */
export function restFailure(status: number, body: { code?: string; message?: string }): AppError {
  const message = body.message && /^[\u4e00-\u9fff]/.test(body.message) ? body.message : undefined
  const detail = `batch_export: HTTP ${status} ${body.code ?? ''} ${body.message ?? ''}`.trim()
  switch (body.code) {
    case '42501':
      return new AppError('forbidden', message, { detail })
    case 'P0002':
      return new AppError('not_found', message, { detail })
    case 'P0001':
      return new AppError('conflict', message, { detail })
    case '22023':
    case '22P02':
      return new AppError('bad_request', message, { detail })
    case 'PGRST301':
    case 'PGRST302':
    case 'PGRST303':
      return new AppError('unauthorized', undefined, { detail })
  }
  if (status === 401) return new AppError('unauthorized', undefined, { detail })
  return new AppError('internal', undefined, { detail })
}

export function exportAsCaller(env: Env, fetchFn: Fetch): ExportDeps['loadExport'] {
  return async (token, batchId) => {
    const url = `${requireEnv(env, 'SUPABASE_URL').replace(/\/+$/, '')}/rest/v1/rpc/batch_export`
    const res = await fetchFn(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        apikey: requireEnv(env, 'SUPABASE_ANON_KEY'),
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify({ batch_id: batchId }),
    })
    const text = await res.text()
    let body: unknown = null
    try {
      body = text ? JSON.parse(text) : null
    } catch {
      throw new AppError('internal', undefined, { detail: `batch_export: HTTP ${res.status}, not JSON` })
    }
    if (!res.ok) throw restFailure(res.status, (body ?? {}) as { code?: string; message?: string })
    const doc = body as ExportDocument | null
    if (!doc || typeof doc.street !== 'string' || !Array.isArray(doc.rows)) {
      throw new AppError('internal', undefined, { detail: 'batch_export answered an unexpected shape' })
    }
    return doc
  }
}
