/**
 * Calls the wechat-login edge function with a code (from Taro.login, or `demo:<handle>` in demo builds)
 * and returns our access token and the person. It goes straight through the platform fetch with the anon
 * key, not through supabase-js: the client's `accessToken` option asks the session for a token, and the
 * session is what is being created here.
 */
import { ROLE_ORDER } from '../../constants/roles'
import { AppError, ERROR_MESSAGES, functionError, toAppError } from '../errors'
import type { SupabaseTarget } from '../supabase/platform-fetch'
import type { LoginResult, SessionUser } from './types'

export interface LoginTransport {
  fetch: typeof fetch
  target: SupabaseTarget
}

function isSessionUser(value: unknown): value is SessionUser {
  if (typeof value !== 'object' || value === null) return false
  const user = value as Record<string, unknown>
  return (
    typeof user.id === 'string' &&
    typeof user.display_name === 'string' &&
    typeof user.onboarded === 'boolean' &&
    (ROLE_ORDER as readonly unknown[]).includes(user.role)
  )
}

function isLoginResult(value: unknown): value is LoginResult {
  if (typeof value !== 'object' || value === null) return false
  const body = value as Record<string, unknown>
  return typeof body.access_token === 'string' && typeof body.expires_at === 'number' && isSessionUser(body.user)
}

export async function requestLogin(code: string, { fetch, target }: LoginTransport): Promise<LoginResult> {
  let response: Response
  try {
    response = await fetch(`${target.url}/functions/v1/wechat-login`, {
      method: 'POST',
      headers: {
        apikey: target.anonKey,
        Authorization: `Bearer ${target.anonKey}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ code }),
    })
  } catch (error) {
    throw toAppError(error)
  }
  const text = await response.text()
  let body: unknown = null
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch {
    body = text
  }
  if (!response.ok) throw functionError(response.status, body)
  if (!isLoginResult(body)) {
    throw new AppError({
      code: 'unknown',
      status: response.status,
      message: ERROR_MESSAGES.unknown,
      detail: `wechat-login answered 200 without access_token, expires_at and user: ${text.slice(0, 200)}`,
    })
  }
  const { access_token, expires_at, user } = body
  return {
    access_token,
    expires_at,
    user: { id: user.id, role: user.role, display_name: user.display_name, onboarded: user.onboarded },
  }
}
