import { AppError } from '../_shared/errors.ts'
import type { Env } from '../_shared/http.ts'
import { serviceRoleClient } from '../_shared/supabase.ts'
import type { PhoneDeps } from './handler.ts'

/**
 * Upserts public.profile_contacts with the service role. The service role, because only the system may
 * write a phone number: it must be the one WeChat verified, so clients have no INSERT or UPDATE on that
 * table. The row is always the verified caller's own (`userId` is the `sub` of their checked token).
 */
export function savePhoneWithServiceRole(env: Env): PhoneDeps['savePhone'] {
  return async (userId, phone, verifiedAt) => {
    const { data, error } = await serviceRoleClient(env)
      .from('profile_contacts')
      .upsert({ user_id: userId, phone, verified_at: verifiedAt }, { onConflict: 'user_id' })
      .select('phone, verified_at')
      .single()
    if (error) {
      if (error.code === '23503') {
        // A valid token for a person who no longer exists.
        throw new AppError('unauthorized', undefined, { detail: `no profile ${userId}` })
      }
      throw new AppError('internal', undefined, { detail: `saving the phone number failed: ${error.code} ${error.message}` })
    }
    return data as { phone: string; verified_at: string }
  }
}
