/**
 * Grants a role through the admin-only set_user_role RPC, which writes the role_changes audit row. Its
 * refusals arrive in Chinese: 只有管理员可以设置角色 (42501), 至少需要保留一名管理员 (the last admin).
 */
import type { AppRole } from '../../constants/roles'
import { getSession } from '../auth/session'
import { handleError } from '../errors'
import { profileKeys } from '../profile/keys'
import { currentPerson } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { adminKeys } from './keys'

export async function setUserRole(userId: string, role: AppRole, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('set_user_role', { user_id: userId, new_role: role })
  if (error) handleError(error, status)
  return data
}

/**
 * 角色管理's change of role: the people list fetches again, and a change of one's own role reaches the
 * session (what 我的 shows and may open) at once. The page shows the outcome on the person's row.
 */
export function useSetUserRoleMutation() {
  return useAppMutation<{ userId: string; role: AppRole }, unknown>({
    mutate: ({ userId, role }) => setUserRole(userId, role),
    errorToast: false,
    onSuccess: (_, { userId, role }) => {
      const session = getSession()
      const state = session.getState()
      if (state.status === 'signed-in' && state.user.id === userId) session.updateUser({ role })
    },
    invalidates: (_, { userId }) => [adminKeys.people(), ...(userId === currentPerson() ? [profileKeys.own()] : [])],
  })
}
