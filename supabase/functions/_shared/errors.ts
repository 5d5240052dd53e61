// The one error type of the edge functions and its JSON shape:
//   { "error": { "code": "invalid_code", "message": "<Chinese text the app can show as is>", "retryable": false } }
// `code` is for the app's logic, `message` for the person, `retryable` says whether trying the same request
// again later can succeed (WeChat busy, a timeout) or not (a bad code, a blocked account).
export type ErrorCode =
  | 'bad_request'
  | 'method_not_allowed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'file_rejected'
  | 'invalid_code'
  | 'too_frequent'
  | 'user_blocked'
  | 'demo_disabled'
  | 'demo_unknown'
  | 'wechat_unavailable'
  | 'wechat_error'
  | 'server_misconfigured'
  | 'internal'

interface ErrorSpec {
  status: number
  message: string
  retryable: boolean
}

export const ERRORS: Record<ErrorCode, ErrorSpec> = {
  bad_request: { status: 400, message: '请求格式不正确', retryable: false },
  method_not_allowed: { status: 405, message: '不支持该请求方式', retryable: false },
  unauthorized: { status: 401, message: '登录已失效，请重新登录', retryable: false },
  forbidden: { status: 403, message: '没有权限执行该操作', retryable: false },
  not_found: { status: 404, message: '找不到该内容', retryable: false },
  conflict: { status: 409, message: '内容已被修改，请重试', retryable: true },
  // An uploaded file whose bytes are not what it claims (verify-upload): the message says why.
  file_rejected: { status: 422, message: '文件未通过检查，已删除', retryable: false },
  invalid_code: { status: 400, message: '微信授权已失效，请重试', retryable: false },
  too_frequent: { status: 429, message: '操作太频繁，请稍后再试', retryable: true },
  user_blocked: { status: 403, message: '该微信账号存在安全风险，暂时无法登录', retryable: false },
  demo_disabled: { status: 403, message: '演示账号登录未开放', retryable: false },
  demo_unknown: { status: 404, message: '没有这个演示账号', retryable: false },
  wechat_unavailable: { status: 502, message: '微信服务暂时不可用，请稍后再试', retryable: true },
  wechat_error: { status: 502, message: '微信服务返回错误，请稍后再试', retryable: false },
  server_misconfigured: { status: 500, message: '服务配置有误，请联系管理员', retryable: false },
  internal: { status: 500, message: '服务出错了，请稍后再试', retryable: true },
}

export class AppError extends Error {
  readonly status: number
  readonly retryable: boolean
  /** Extra response headers, e.g. Allow or Retry-After. */
  readonly headers: Record<string, string>
  /** What the logs get and the response never does: e.g. the WeChat errcode and errmsg. */
  readonly detail: string | undefined

  constructor(
    readonly code: ErrorCode,
    message?: string,
    opts: { cause?: unknown; detail?: string; headers?: Record<string, string> } = {},
  ) {
    super(message ?? ERRORS[code].message, { cause: opts.cause })
    this.name = 'AppError'
    this.status = ERRORS[code].status
    this.retryable = ERRORS[code].retryable
    this.headers = opts.headers ?? {}
    this.detail = opts.detail
  }
}
