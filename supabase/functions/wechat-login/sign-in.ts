import { AppError } from '../_shared/errors.ts'
import type { Env } from '../_shared/http.ts'
import { serviceRoleClient } from '../_shared/supabase.ts'
import type { SignedInPerson, SignIn } from './handler.ts'

/**
 * public.sign_in_wechat through supabase-js with the service role. The service role, because the caller
 * has no token yet and finding or creating a person by openid is the system's job: the openids live in
 * private.wechat_identities and sign_in_wechat is granted to service_role alone.
 */
export function signInWithServiceRole(env: Env): SignIn {
  return async ({ openid, unionid, create }) => {
    const { data, error } = await serviceRoleClient(env).rpc('sign_in_wechat', {
      p_openid: openid,
      p_unionid: unionid,
      p_create: create,
    })
    if (error) throw new AppError('internal', undefined, { detail: `sign_in_wechat failed: ${error.code} ${error.message}` })
    const rows = (Array.isArray(data) ? data : data ? [data] : []) as SignedInPerson[]
    return rows[0] ?? null
  }
}
