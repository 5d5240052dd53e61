// A supabase-js client with the service role, for the few writes only the system may make (see the
// comment where each function uses it). Everything done for a person with their own token goes through
// a client that forwards their Authorization instead, so row-level security applies.
import { createClient, type SupabaseClient } from 'npm:@supabase/supabase-js@2'
import { type Env, requireEnv } from './http.ts'

export function serviceRoleClient(env: Env): SupabaseClient {
  return createClient(requireEnv(env, 'SUPABASE_URL'), requireEnv(env, 'SUPABASE_SERVICE_ROLE_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
}
