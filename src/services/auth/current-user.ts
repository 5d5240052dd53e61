/**
 * Loads the person behind a stored token when the app starts: their id, role, name and whether they
 * finished onboarding. A plain PostgREST request through the platform fetch with that token, not through
 * supabase-js, whose `accessToken` option would ask the session that is still starting; a 401 here means
 * the stored token is no good and the session signs in afresh.
 */
import { AppError, toAppError } from '../errors'
import type { Database } from '../supabase/database.types'
import type { SupabaseTarget } from '../supabase/platform-fetch'
import type { SessionUser } from './types'

type ProfileRow = Pick<Database['public']['Tables']['profiles']['Row'], 'id' | 'role' | 'display_name' | 'onboarded_at'>

export async function loadCurrentUser(
  accessToken: string,
  userId: string,
  { fetch, target }: { fetch: typeof globalThis.fetch; target: SupabaseTarget },
): Promise<SessionUser> {
  // Through full_profiles (a GET to the RPC): the profiles table itself gives others' names only, and
  // role and onboarded_at are read there too since the names-only change.
  const url = `${target.url}/rest/v1/rpc/full_profiles?select=id,role,display_name,onboarded_at&id=eq.${encodeURIComponent(userId)}`
  let response: Response
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: { apikey: target.anonKey, Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
    })
  } catch (error) {
    throw toAppError(error)
  }
  const text = await response.text()
  let body: unknown = null
  try {
    body = text === '' ? null : JSON.parse(text)
  } catch {
    body = { message: text.slice(0, 200) }
  }
  if (!response.ok) throw toAppError(body, response.status)
  const row = Array.isArray(body) ? (body[0] as ProfileRow | undefined) : undefined
  if (!row) {
    throw new AppError({
      code: 'unauthorized',
      status: 401,
      message: '登录已失效，请重新登录',
      detail: `no profile visible for the token's subject ${userId}`,
    })
  }
  return { id: row.id, role: row.role, display_name: row.display_name, onboarded: row.onboarded_at !== null }
}
