/**
 * Joining and leaving: 凭邀请码入群, 申请入群 and 退出群. Each is one RPC that checks who asks (the
 * database tells the person in Chinese why not: a wrong or rotated code, already a member, too many
 * requests today); on success the lists that changed are fetched again.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { groupKeys } from './keys'

/** Case, spaces and dashes do not matter (the server normalises too); what people type from a poster. */
export function normalizeInviteCode(code: string): string {
  return code.replace(/[\s-]+/g, '').toUpperCase()
}

export async function joinGroupByCode(code: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('join_group_by_code', { code: normalizeInviteCode(code) })
  if (error) handleError(error, status)
  return data
}

export async function requestToJoinGroup(groupId: string, note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('request_to_join_group', { group_id: groupId, note: note.trim() })
  if (error) handleError(error, status)
  return data
}

export async function leaveGroup(groupId: string, client: AppSupabaseClient = getSupabase()): Promise<void> {
  const { error, status } = await client.rpc('leave_group', { group_id: groupId })
  if (error) handleError(error, status)
}

export function useJoinByCodeMutation() {
  return useAppMutation({
    mutate: (code: string) => joinGroupByCode(code),
    invalidates: () => [groupKeys.all],
    errorToast: false,
  })
}

export function useRequestToJoinMutation() {
  return useAppMutation({
    mutate: ({ groupId, note }: { groupId: string; note: string }) => requestToJoinGroup(groupId, note),
    invalidates: () => [groupKeys.all],
    successToast: '已提交申请',
  })
}

export function useLeaveGroupMutation() {
  return useAppMutation({
    mutate: (groupId: string) => leaveGroup(groupId),
    invalidates: () => [groupKeys.all],
    successToast: '已退出',
  })
}
