/** PostgREST's error body and the mapping from PostgreSQL SQLSTATE codes to HTTP statuses. */
import { isPgError } from '../db'

export interface ErrorBody {
  code: string
  /** A string, or structured details (PGRST201 lists the candidate relationships). */
  details: string | null | Record<string, string>[]
  hint: string | null
  message: string
}

/** What Supabase's API gateway answers before a request reaches PostgREST: no code, no details. */
export interface GatewayErrorBody {
  message: string
  hint: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody | GatewayErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message)
  }
}

export function apiError(status: number, code: string, message: string, details: string | null = null, hint: string | null = null) {
  return new ApiError(status, { code, details, hint, message })
}

/** A malformed query string: PostgREST's PGRST100. */
export function parseError(message: string, details: string | null = null) {
  return apiError(400, 'PGRST100', message, details)
}

export function statusForSqlState(code: string, authenticated: boolean, message = ''): number {
  if (code === '42501') return authenticated ? 403 : 401
  // pg-safeupdate's refusal is the client's mistake; any other cardinality violation is the server's.
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500
  if (code === '22023' && message.startsWith('role') && message.endsWith('does not exist')) return 401
  if (code === '57P01') return 503
  const exact: Record<string, number> = {
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '53400': 500,
    P0001: 400,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
  }
  if (code in exact) return exact[code]
  const byClass: Record<string, number> = {
    '08': 503,
    '09': 500,
    '0L': 403,
    '0P': 403,
    '25': 500,
    '28': 403,
    '2D': 500,
    '38': 500,
    '39': 500,
    '3B': 500,
    '40': 500,
    '53': 503,
    '54': 500,
    '55': 500,
    '57': 500,
    '58': 500,
    F0: 500,
    HV: 500,
    P0: 500,
    XX: 500,
  }
  return byClass[code.slice(0, 2)] ?? 400
}

export function fromDatabaseError(e: unknown, authenticated: boolean): ApiError {
  if (e instanceof ApiError) return e
  if (isPgError(e)) {
    const status = statusForSqlState(e.code, authenticated, e.message)
    const headers: Record<string, string> =
      status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {}
    return new ApiError(
      status,
      { code: e.code, details: e.detail ?? null, hint: e.hint ?? null, message: e.message },
      headers,
    )
  }
  // Not the database's and not ours to explain (a bug, a broken connection): the details go to the log
  // (handleRest), never into an answer.
  return apiError(500, 'PGRSTX00', 'Internal server error')
}
