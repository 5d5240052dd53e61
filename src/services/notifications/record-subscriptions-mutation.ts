/** Records the subscription-message templates the person just accepted (one push each). */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function recordSubscriptions(keys: readonly string[], client: AppSupabaseClient = getSupabase()): Promise<void> {
  const { error, status } = await client.rpc('record_subscriptions', { templates: [...keys] })
  if (error) handleError(error, status)
}
