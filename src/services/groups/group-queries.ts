/**
 * One group as its members see it (name, district, invite code for the share card), its members with
 * their role in the group, and, for its butlers, the join requests waiting. Row-level security decides
 * who reads what: members only their groups, requests only the group's butlers (and the asker).
 */
import { AppError, handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { groupKeys } from './keys'

export async function getGroup(groupId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('groups')
    .select('id, name, description, district, invite_code, response_target_minutes, archived_at')
    .eq('id', groupId)
    .maybeSingle()
  if (error) handleError(error, status)
  if (!data) throw new AppError({ code: 'not_found', status: 404, message: '没有找到这个创业群，可能您已不在群里', detail: `group ${groupId}` })
  return data
}

export type GroupDetail = Awaited<ReturnType<typeof getGroup>>

export async function getGroupMembers(groupId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('group_members')
    .select('user_id, role, joined_at, profile:profiles!inner(display_name)')
    .eq('group_id', groupId)
    .order('role', { ascending: false })
    .order('joined_at', { ascending: true })
  if (error) handleError(error, status)
  return data.map((row) => ({ user_id: row.user_id, role: row.role, joined_at: row.joined_at, display_name: row.profile.display_name }))
}

export type GroupMember = Awaited<ReturnType<typeof getGroupMembers>>[number]

export async function getJoinRequests(groupId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('group_join_requests')
    .select('id, user_id, note, status, created_at, profile:profiles!group_join_requests_user_id_fkey(display_name)')
    .eq('group_id', groupId)
    .eq('status', 'pending')
    .order('created_at', { ascending: true })
  if (error) handleError(error, status)
  return data.map((row) => ({ id: row.id, user_id: row.user_id, note: row.note, created_at: row.created_at, display_name: row.profile?.display_name ?? '' }))
}

export type JoinRequest = Awaited<ReturnType<typeof getJoinRequests>>[number]

export function useGroup(groupId: string | null) {
  return useAppQuery({ key: groupKeys.detail(groupId ?? ''), fetcher: () => getGroup(groupId!), enabled: groupId !== null })
}

export function useGroupMembers(groupId: string | null) {
  return useAppQuery({ key: groupKeys.members(groupId ?? ''), fetcher: () => getGroupMembers(groupId!), enabled: groupId !== null })
}

export function useJoinRequests(groupId: string | null, enabled = true) {
  return useAppQuery({ key: groupKeys.joinRequests(groupId ?? ''), fetcher: () => getJoinRequests(groupId!), enabled: groupId !== null && enabled })
}
