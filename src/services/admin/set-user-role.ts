/**
 * Grants a role through the admin-only set_user_role RPC, which writes the role_changes audit row. Its
 * refusals arrive in Chinese: 只有管理员可以设置角色 (42501), 至少需要保留一名管理员 (the last admin).
 */
import type { AppRole } from '../../constants/roles'
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export async function setUserRole(userId: string, role: AppRole, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('set_user_role', { user_id: userId, new_role: role })
  if (error) handleError(error, status)
  return data
}
