import { describe, expect, it } from 'vitest'
import { AppError, ERROR_MESSAGES, functionError, handleError, isWrittenForPerson, toAppError } from '../../src/services/errors'

describe('turning failures into one app error with a Chinese message', () => {
  it('a fetch that threw (postgrest-js reports status 0 and no code) is a network failure', () => {
    const error = toAppError({ message: 'TypeError: Network request failed: request:fail timeout', details: '', hint: '', code: '' }, 0)
    expect(error).toBeInstanceOf(AppError)
    expect([error.code, error.message]).toEqual(['network', '网络连接失败，请检查网络后重试'])
    expect(error.detail).toContain('request:fail timeout')
  })

  it('an aborted request is a timeout', () => {
    expect(toAppError({ message: 'AbortError: This operation was aborted', code: '' }, 0).code).toBe('timeout')
  })

  it('an expired token asks the user to enter again', () => {
    const error = toAppError({ message: 'JWT expired', code: 'PGRST303', details: null, hint: null }, 401)
    expect([error.code, error.message, error.status]).toEqual(['unauthorized', ERROR_MESSAGES.unauthorized, 401])
  })

  it('row-level security refusing is "no permission"', () => {
    expect(toAppError({ message: 'new row violates row-level security policy', code: '42501' }, 403).code).toBe('forbidden')
  })

  it('unique and foreign-key violations are conflicts; check violations are invalid input', () => {
    expect(toAppError({ message: 'duplicate key', code: '23505' }, 409).code).toBe('conflict')
    expect(toAppError({ message: 'violates check constraint', code: '23514' }, 400).code).toBe('invalid')
  })

  it('a Chinese message raised by one of our functions reaches the user as written', () => {
    expect(toAppError({ message: '申报已提交，不能重复提交', code: 'P0001' }, 400).message).toBe('申报已提交，不能重复提交')
    expect(toAppError({ message: 'internal detail', code: 'P0001' }, 400).message).toBe(ERROR_MESSAGES.unknown)
  })

  it('a database that is down is "busy, try later"', () => {
    expect(toAppError({ message: 'Could not connect', code: 'PGRST000' }, 503).code).toBe('unavailable')
  })

  it('a thrown TypeError is a network failure and anything else is unknown, never raw English', () => {
    expect(toAppError(new TypeError('Failed to fetch')).message).toBe(ERROR_MESSAGES.network)
    expect(toAppError('boom').message).toBe(ERROR_MESSAGES.unknown)
  })

  it('handleError throws the app error', () => {
    let thrown: unknown
    try {
      handleError({ message: 'permission denied for table posts', code: '42501' }, 403)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AppError)
    expect(thrown).toMatchObject({ code: 'forbidden', status: 403, message: ERROR_MESSAGES.forbidden })
  })
})

/**
 * The convention (src/services/errors.ts): a database message that begins with a Chinese character was
 * written for the person and is shown whatever the SQLSTATE; the SQLSTATE decides the code. Statuses are
 * the ones PostgREST (and the local backend) answer for each SQLSTATE.
 */
describe('database messages written for the person', () => {
  it('42501 (not allowed) shows the function\'s message and is forbidden', () => {
    const error = toAppError({ message: '只有管理员可以设置角色', code: '42501', details: null, hint: null }, 403)
    expect([error.code, error.message]).toEqual(['forbidden', '只有管理员可以设置角色'])
  })

  it('42501 from row-level security (English) shows the generic forbidden text', () => {
    const error = toAppError({ message: 'new row violates row-level security policy for table "posts"', code: '42501' }, 403)
    expect([error.code, error.message]).toEqual(['forbidden', ERROR_MESSAGES.forbidden])
  })

  it('22023 (invalid parameter) shows the function\'s message and is invalid', () => {
    const error = toAppError({ message: '一次最多记录5个订阅消息模板', code: '22023' }, 400)
    expect([error.code, error.message]).toEqual(['invalid', '一次最多记录5个订阅消息模板'])
  })

  it('23514 raised with a Chinese message is shown; a check constraint\'s own English message is not', () => {
    expect(toAppError({ message: '分流日期不能晚于今天', code: '23514' }, 400)).toMatchObject({ code: 'invalid', message: '分流日期不能晚于今天' })
    const constraint = toAppError({ message: 'new row for relation "profiles" violates check constraint "profiles_district_check"', code: '23514' }, 400)
    expect([constraint.code, constraint.message]).toEqual(['invalid', ERROR_MESSAGES.invalid])
  })

  it('P0002 (not found) arrives as 500 yet shows 找不到这个用户 and is not_found, never 服务器暂时忙', () => {
    const error = toAppError({ message: '找不到这个用户', code: 'P0002', details: null, hint: null }, 500)
    expect([error.code, error.message, error.status]).toEqual(['not_found', '找不到这个用户', 500])
  })

  it('P0001 (a rule said no) shows the message and keeps the hint tag in detail for code to test', () => {
    const error = toAppError({ message: '请先阅读并同意隐私保护指引', code: 'P0001', details: null, hint: 'privacy_notice_required' }, 400)
    expect(error.message).toBe('请先阅读并同意隐私保护指引')
    expect(error.detail).toContain('privacy_notice_required')
  })

  it('an English message from a function is for logs only, whatever its SQLSTATE', () => {
    for (const [code, status] of [['P0001', 400], ['P0002', 500], ['42501', 403], ['22023', 400]] as const) {
      const error = toAppError({ message: 'a retry needs retry_at', code }, status)
      expect(error.message).toBe(ERROR_MESSAGES[error.code])
      expect(error.detail).toContain('a retry needs retry_at')
    }
  })

  it('PostgreSQL\'s own message quoting Chinese input is not shown (it begins in English)', () => {
    const error = toAppError({ message: 'invalid input syntax for type uuid: "刘建国"', code: '22P02' }, 400)
    expect([error.code, error.message]).toEqual(['invalid', ERROR_MESSAGES.invalid])
    expect(isWrittenForPerson('value too long for type character varying(20)：刘')).toBe(false)
    expect(isWrittenForPerson('"刘建国" is not a valid role')).toBe(false)
  })

  it('an edge function\'s error body follows the same rule', () => {
    expect(functionError(404, { error: { code: 'demo_unknown', message: '没有这个演示账号' } }).message).toBe('没有这个演示账号')
    expect(functionError(500, { error: { code: 'internal', message: 'sign_in_wechat failed' } }).message).toBe(ERROR_MESSAGES.unavailable)
  })
})
