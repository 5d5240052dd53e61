import type { SupabaseClient } from 'npm:@supabase/supabase-js@2'
import { AppError } from '../_shared/errors.ts'
import type { Env } from '../_shared/http.ts'
import { serviceRoleClient } from '../_shared/supabase.ts'
import type { VerifyDeps } from './handler.ts'

/**
 * Records a verdict through public.record_upload_verdict with the service role. The service role,
 * because a verdict is the system's word: people may neither write nor read private.verified_objects.
 * The RPC itself checks that the object is `owner`'s (the `sub` of the checked token) and still the
 * version that was read, so the service role never marks someone else's file.
 */
export function recordVerdictWithServiceRole(env: Env): VerifyDeps['recordVerdict'] {
  let client: SupabaseClient | null = null
  return async (owner, bucket, name, version, verdict) => {
    client ??= serviceRoleClient(env)
    const { error } = await client.rpc('record_upload_verdict', {
      p_owner: owner,
      p_bucket: bucket,
      p_name: name,
      p_version: version,
      p_passed: verdict.ok,
      p_kind: verdict.ok ? verdict.kind : null,
      p_reason: verdict.ok ? null : verdict.reason,
    })
    if (!error) return
    switch (error.code) {
      case 'P0002':
        throw new AppError('not_found', '文件不存在或已被删除')
      case '42501':
        throw new AppError('forbidden', '只能校验自己上传的文件', { detail: `${owner} is not the owner of ${bucket}/${name}` })
      case '55000':
        throw new AppError('conflict', '文件已被重新上传，请重新校验')
      default:
        throw new AppError('internal', undefined, { detail: `record_upload_verdict: ${error.code} ${error.message}` })
    }
  }
}
