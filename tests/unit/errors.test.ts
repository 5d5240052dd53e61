import { describe, expect, it } from 'vitest'
import { AppError, ERROR_MESSAGES, handleError, toAppError } from '../../src/services/errors'

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
