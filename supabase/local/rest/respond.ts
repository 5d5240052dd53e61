/** Respond: PostgREST's statuses, Content-Range and media types for a result. */
import { apiError, type ApiError } from './errors'
import type { RestResponse } from './types'

export function json(status: number, value: unknown, headers: Record<string, string> = {}): RestResponse {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) }
}

export function errorResponse(e: ApiError): RestResponse {
  return json(e.status, e.body, e.headers)
}

export function contentType(single: boolean): string {
  return single ? 'application/vnd.pgrst.object+json; charset=utf-8' : 'application/json; charset=utf-8'
}

export function contentRange(offset: number, n: number, total: number | null) {
  const t = total === null ? '*' : String(total)
  return n > 0 ? `${offset}-${offset + n - 1}/${t}` : `*/${t}`
}

/**
 * PostgREST's status for a page of rows: without a count 200; with one, 416 past the end, 206 for a
 * page smaller than the total, else 200.
 */
export function rangeStatus(offset: number, n: number, total: number | null): number {
  if (total === null) return 200
  if (offset > total) {
    throw apiError(416, 'PGRST103', 'Requested range not satisfiable', `An offset of ${offset} was requested, but there are only ${total} rows.`)
  }
  return n < total ? 206 : 200
}

export function singleCheck(single: boolean, n: number) {
  if (single && n !== 1) {
    throw apiError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${n} rows`)
  }
}
