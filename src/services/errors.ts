/**
 * The app's one error type. Every failure a page can meet (PostgREST error, network failure, missing
 * configuration) becomes an AppError whose `message` is a sentence in Chinese the user can act on; the
 * original details stay on `detail` and `cause` for logs. Fetchers call `handleError`, which throws.
 */

export type AppErrorCode =
  | 'network' // no response: offline, DNS, TLS, domain not whitelisted in WeChat
  | 'timeout' // the request was aborted or took too long
  | 'unauthorized' // missing, invalid or expired token
  | 'forbidden' // row-level security or a missing grant said no
  | 'not_found'
  | 'conflict' // unique or foreign-key violation
  | 'invalid' // the server rejected the input (check constraint, bad format)
  | 'unavailable' // the server or database is down or overloaded
  | 'config' // the build lacks its Supabase URL or key
  | 'cancelled' // the person stopped it (an upload they cancelled)
  | 'unknown'

export class AppError extends Error {
  readonly code: AppErrorCode
  /** HTTP status when a response arrived, 0 when none did. */
  readonly status: number
  /** What the server or runtime said, in English, for logs. Never shown to the user. */
  readonly detail: string

  constructor(options: { code: AppErrorCode; message: string; status?: number; detail?: string; cause?: unknown }) {
    super(options.message)
    this.name = 'AppError'
    this.code = options.code
    this.status = options.status ?? 0
    this.detail = options.detail ?? ''
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause
  }
}

/** What the user reads for each kind of failure. */
export const ERROR_MESSAGES: Record<AppErrorCode, string> = {
  network: '网络连接失败，请检查网络后重试',
  timeout: '网络较慢，请求超时了，请稍后重试',
  unauthorized: '登录已失效，请重新登录',
  forbidden: '您没有权限查看或办理这项内容',
  not_found: '没有找到相关内容，可能已被删除',
  conflict: '这条内容已经存在或已有变动，请刷新后再试',
  invalid: '填写的内容不符合要求，请检查后再试',
  unavailable: '服务器暂时忙，请稍后重试',
  config: '应用配置不完整，暂时无法连接服务器，请联系管理员',
  cancelled: '已取消',
  unknown: '出了点问题，请稍后重试',
}

/** The shape of the `error` supabase-js (postgrest-js) returns: PostgREST's JSON error, or its own. */
interface PostgrestErrorLike {
  message: string
  code?: string
  details?: string | null
  hint?: string | null
}

function isPostgrestErrorLike(value: unknown): value is PostgrestErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string'
}

/**
 * Messages written for the person — one convention for the database and our edge functions:
 *
 *   An error whose message BEGINS WITH A CHINESE CHARACTER was written for the person and is shown as
 *   written, whatever its SQLSTATE or status. The SQLSTATE (or status) still decides the AppError code,
 *   i.e. what the app does about it; the hint may carry a stable English tag for code to test
 *   (e.g. `privacy_notice_required`), which ends up in `detail`.
 *
 * So a database function raises, for people:
 *   raise exception '找不到这个用户' using errcode = 'P0002';                  -- not found
 *   raise exception '只有管理员可以设置角色' using errcode = '42501';           -- not allowed
 *   raise exception '一次最多记录5个订阅消息模板' using errcode = '22023';      -- invalid input (or 23514)
 *   raise exception '您是唯一的管理员，不能注销账号。…' using errcode = 'P0001', hint = 'last_admin'; -- a rule said no
 * and in English only what no person should read (it then sees the generic text of the code's class).
 *
 * Why the message and not the SQLSTATE, the status or the hint:
 * - Hosted PostgREST and the local backend (supabase/local/rest/errors.ts) both pass `message`, `code`
 *   and `hint` through unchanged for every SQLSTATE, but the HTTP status depends on the class: P0001 is
 *   400, yet P0002 and the whole P0 class are 500 and 42501 is 401 or 403. Status cannot be the signal.
 * - A dedicated SQLSTATE for "show this" would replace the code that says what happened (permission,
 *   validation, not found), which the app needs for behaviour; and PostgREST maps unknown classes to 400.
 * - `hint` already carries machine-readable tags.
 * - PostgreSQL's own messages are English (Supabase runs lc_messages = en_US) and begin with a Latin
 *   letter or a quote even when they quote what the person typed (`invalid input syntax for type uuid:
 *   "刘建国"`), so "begins with" never shows a system message, where "contains" would.
 */
export function isWrittenForPerson(message: string): boolean {
  return /^[\u4e00-\u9fff]/.test(message)
}

function codeForPostgrest(error: PostgrestErrorLike, status: number): AppErrorCode {
  const code = error.code ?? ''
  // postgrest-js reports a fetch that threw with status 0, an empty code and the error's name in message.
  if (status === 0 && code === '') {
    if (/AbortError|TimeoutError/.test(error.message)) return 'timeout'
    return 'network'
  }
  if (code === 'PGRST301' || code === 'PGRST302' || code === 'PGRST303' || status === 401) return 'unauthorized'
  if (code === '42501' || status === 403) return 'forbidden'
  // P0002 (no_data_found) arrives with status 500 (PostgREST's P0 class): the code decides, not the status.
  if (code === 'P0002' || code === 'PGRST116' || code === 'PGRST205' || status === 404) return 'not_found'
  if (code === '23505' || code === '23503' || status === 409) return 'conflict'
  // 23514 check, 23502 not null; class 22 is bad data (22023 invalid parameter, 22P02 syntax, 22001 too long).
  if (code === '23514' || code === '23502' || code.startsWith('22') || code.startsWith('PGRST1')) return 'invalid'
  if (code.startsWith('PGRST0') || status === 502 || status === 503 || status === 504) return 'unavailable'
  return 'unknown'
}

/** Turns anything caught or returned into an AppError. */
export function toAppError(error: unknown, status = 0): AppError {
  if (error instanceof AppError) return error
  if (error instanceof TypeError) {
    return new AppError({ code: 'network', message: ERROR_MESSAGES.network, detail: error.message, cause: error })
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return new AppError({ code: 'timeout', message: ERROR_MESSAGES.timeout, detail: error.message, cause: error })
  }
  if (isPostgrestErrorLike(error)) {
    const code = codeForPostgrest(error, status)
    // A database function's message for the person (see isWrittenForPerson), or the session layer's when
    // it answers 401 after a failed silent re-login (services/supabase/auth-fetch.ts): shown as written.
    const message = isWrittenForPerson(error.message) ? error.message : ERROR_MESSAGES[code]
    const detail = [error.code, error.message, error.details, error.hint].filter(Boolean).join(' | ')
    return new AppError({ code, message, status, detail, cause: error })
  }
  return new AppError({ code: 'unknown', message: ERROR_MESSAGES.unknown, detail: String(error), cause: error })
}

/** For fetchers: `if (error) handleError(error, status)`. Never returns. */
export function handleError(error: unknown, status = 0): never {
  throw toAppError(error, status)
}

/** The JSON error body of our edge functions: `{ error: { code, message, retryable } }`. */
export interface FunctionErrorBody {
  error: { code: string; message: string; retryable?: boolean }
}

function isFunctionErrorBody(body: unknown): body is FunctionErrorBody {
  if (typeof body !== 'object' || body === null) return false
  const error = (body as { error?: unknown }).error
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

function codeForStatus(status: number): AppErrorCode {
  if (status === 400 || status === 422) return 'invalid'
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 409) return 'conflict'
  if (status === 408) return 'timeout'
  if (status === 429 || status >= 500) return 'unavailable'
  return 'unknown'
}

/**
 * An edge function's error response as an AppError: the function's Chinese message is shown as written
 * (the same convention as the database's, see isWrittenForPerson), the function's error code goes to
 * `detail`.
 */
export function functionError(status: number, body: unknown): AppError {
  const code = codeForStatus(status)
  if (isFunctionErrorBody(body)) {
    const { message } = body.error
    return new AppError({
      code,
      status,
      message: isWrittenForPerson(message) ? message : ERROR_MESSAGES[code],
      detail: `${body.error.code}${body.error.retryable ? ' (retryable)' : ''}: ${message}`,
    })
  }
  // Not ours: a gateway or the platform answered (e.g. 404 for a function that is not deployed).
  const detail = typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body ?? null).slice(0, 200)
  return new AppError({ code, status, message: ERROR_MESSAGES[code], detail: `HTTP ${status}: ${detail}` })
}
