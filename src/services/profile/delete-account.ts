/**
 * 注销账号: deletes the caller's account through the delete_my_account RPC (no user id is sent; the
 * database acts for the token's owner alone), then forgets the session on this phone: the stored token
 * goes, and with the session signed out the in-memory query cache is emptied (services/auth/session.ts).
 * The database refuses the last admin and staff accounts with a Chinese message. Calling it again after
 * it succeeded is harmless (the database answers success, with nothing left to erase).
 */
import { getSession } from '../auth/session'
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function deleteMyAccount(client: AppSupabaseClient = getSupabase()): Promise<void> {
  const { error, status } = await client.rpc('delete_my_account')
  if (error) handleError(error, status)
  getSession().signOut()
}

/** 注销账号's button; the page shows a refusal (last admin, staff) in place. */
export function useDeleteAccountMutation() {
  return useAppMutation<void, void>({ mutate: () => deleteMyAccount(), errorToast: false })
}
