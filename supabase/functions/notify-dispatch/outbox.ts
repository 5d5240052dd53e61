import type { SupabaseClient } from 'npm:@supabase/supabase-js@2'
import { AppError } from '../_shared/errors.ts'
import type { Env } from '../_shared/http.ts'
import { serviceRoleClient } from '../_shared/supabase.ts'
import type { ClaimedPush, Outbox } from './handler.ts'

/**
 * public.claim_pushes and public.finish_pushes with the service role: the outbox belongs to the system, no
 * person may claim or settle a push, and the openid claim_pushes returns is never exposed to anyone.
 */
export function outboxWithServiceRole(env: Env): Outbox {
  let client: SupabaseClient | null = null
  const db = () => (client ??= serviceRoleClient(env))
  return {
    async claim(batchSize, leaseSeconds) {
      const { data, error } = await db().rpc('claim_pushes', { batch_size: batchSize, lease_seconds: leaseSeconds })
      if (error) throw new AppError('internal', undefined, { detail: `claim_pushes: ${error.code} ${error.message}` })
      return (data ?? []) as ClaimedPush[]
    },
    async finish(outcomes) {
      const { data, error } = await db().rpc('finish_pushes', { outcomes })
      if (error) throw new Error(`finish_pushes: ${error.code} ${error.message}`)
      return Number(data)
    },
  }
}
