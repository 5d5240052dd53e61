import type { SupabaseClient } from 'npm:@supabase/supabase-js@2'
import { AppError } from '../_shared/errors.ts'
import type { Env } from '../_shared/http.ts'
import { serviceRoleClient } from '../_shared/supabase.ts'
import type { CheckQueue, ClaimedCheck } from './handler.ts'

/**
 * The checker's RPCs and the media URLs, with the service role: the check queue is the system's (no
 * person may claim or judge a message, and the sender's openid claim_content_checks returns is never
 * exposed), and WeChat fetches the media through a short-lived signed URL of the private bucket.
 */
export function queueWithServiceRole(env: Env): CheckQueue {
  let client: SupabaseClient | null = null
  const db = () => (client ??= serviceRoleClient(env))
  return {
    async claim(batchSize, leaseSeconds) {
      const { data, error } = await db().rpc('claim_content_checks', { batch_size: batchSize, lease_seconds: leaseSeconds })
      if (error) throw new AppError('internal', undefined, { detail: `claim_content_checks: ${error.code} ${error.message}` })
      return (data ?? []) as ClaimedCheck[]
    },
    async finish(outcomes) {
      const { data, error } = await db().rpc('finish_content_checks', { outcomes })
      if (error) throw new Error(`finish_content_checks: ${error.code} ${error.message}`)
      return Number(data)
    },
    async signMediaUrl(bucket, path, seconds) {
      const { data, error } = await db().storage.from(bucket).createSignedUrl(path, seconds)
      if (error || !data?.signedUrl) throw new Error(`signing ${bucket}/${path}: ${error?.message ?? 'no url'}`)
      return data.signedUrl
    },
  }
}
