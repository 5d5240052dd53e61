// A supabase-js client with the service role, for the few writes only the system may make (see the
// comment where each function uses it). Everything done for a person with their own token goes through
// a client that forwards their Authorization instead, so row-level security applies.
import { createClient, type SupabaseClient } from 'npm:@supabase/supabase-js@2'
import { type Env, requireEnv } from './http.ts'
import type { TokenStore } from './stable-token.ts'

export function serviceRoleClient(env: Env): SupabaseClient {
  return createClient(requireEnv(env, 'SUPABASE_URL'), requireEnv(env, 'SUPABASE_SERVICE_ROLE_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
}

/**
 * The shared WeChat access token (private.wechat_access_tokens) through its service-role RPCs. The
 * service role, because the token is the system's credential for WeChat: no person may read it.
 */
export function serviceRoleTokenStore(env: Env): TokenStore {
  let client: SupabaseClient | null = null
  const db = () => (client ??= serviceRoleClient(env))
  return {
    async read(appId) {
      const { data, error } = await db().rpc('cached_wechat_token', { p_app_id: appId })
      if (error) throw new Error(`cached_wechat_token: ${error.code} ${error.message}`)
      return typeof data === 'string' && data ? data : null
    },
    async write(appId, token, expiresIn) {
      const { error } = await db().rpc('store_wechat_token', { p_app_id: appId, p_token: token, p_expires_in: expiresIn })
      if (error) throw new Error(`store_wechat_token: ${error.code} ${error.message}`)
    },
  }
}
