/**
 * 注销账号: deletes the caller's account through the delete_my_account RPC (no user id is sent; the
 * database acts for the token's owner alone), then forgets the session on this phone: the stored token
 * goes, and with the session signed out the in-memory query cache is emptied (services/auth/session.ts).
 * The database refuses the last admin and staff accounts with a Chinese message. Calling it again after
 * it succeeded is harmless (the database answers success, with nothing left to erase).
 *
 * The person's avatar files go too: the avatars bucket is public, so a picture left behind would stay
 * downloadable. They are removed with the same token right after the account is gone (no longer anyone's
 * avatar, they may be removed); if that fails, the account is deleted all the same.
 */
import { getSession } from '../auth/session'
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

async function removeOwnAvatars(client: AppSupabaseClient, userId: string): Promise<void> {
  const bucket = client.storage.from('avatars')
  const { data } = await bucket.list(userId, { limit: 100 })
  const names = (data ?? []).filter((f) => f.id).map((f) => `${userId}/${f.name}`)
  if (names.length > 0) await bucket.remove(names)
}

export async function deleteMyAccount(client: AppSupabaseClient = getSupabase()): Promise<void> {
  const state = getSession().getState()
  const { error, status } = await client.rpc('delete_my_account')
  if (error) handleError(error, status)
  if (state.status === 'signed-in') await removeOwnAvatars(client, state.user.id).catch(() => {})
  getSession().signOut()
}

/** 注销账号's button; the page shows a refusal (last admin, staff) in place. */
export function useDeleteAccountMutation() {
  return useAppMutation<void, void>({ mutate: () => deleteMyAccount(), errorToast: false })
}
