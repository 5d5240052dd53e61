/**
 * What a group's butlers (and admins) do to its membership: decide join requests, remove a member with a
 * reason (the person is told), and rotate the invite code when it has leaked. The database refuses
 * anyone else (42501 for members, P0002 for outsiders); these only carry the person's choice.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { groupKeys } from './keys'

export async function decideJoinRequest(requestId: string, approve: boolean, note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('decide_join_request', { request_id: requestId, approve, note: note.trim() })
  if (error) handleError(error, status)
  return data
}

export async function removeGroupMember(groupId: string, person: string, reason: string, client: AppSupabaseClient = getSupabase()): Promise<void> {
  const { error, status } = await client.rpc('remove_group_member', { group_id: groupId, person, reason: reason.trim() })
  if (error) handleError(error, status)
}

export async function rotateInviteCode(groupId: string, client: AppSupabaseClient = getSupabase()): Promise<string> {
  const { data, error, status } = await client.rpc('rotate_invite_code', { group_id: groupId })
  if (error) handleError(error, status)
  return data ?? ''
}

/** A flagged message: 放行 (publish to the group) or 删除 (erase it); the group's butlers and admins only. */
export async function decideFlaggedMessage(messageId: string, publish: boolean, client: AppSupabaseClient = getSupabase()): Promise<void> {
  const { error, status } = await client.rpc('decide_flagged_message', { id: messageId, publish })
  if (error) handleError(error, status)
}

export function useDecideJoinRequestMutation(groupId: string) {
  return useAppMutation({
    mutate: ({ requestId, approve, note }: { requestId: string; approve: boolean; note: string }) => decideJoinRequest(requestId, approve, note),
    invalidates: () => [groupKeys.joinRequests(groupId), groupKeys.members(groupId)],
    successToast: '已处理',
  })
}

export function useRemoveMemberMutation(groupId: string) {
  return useAppMutation({
    mutate: ({ person, reason }: { person: string; reason: string }) => removeGroupMember(groupId, person, reason),
    invalidates: () => [groupKeys.members(groupId), groupKeys.mine()],
    successToast: '已移出',
  })
}

export function useRotateInviteCodeMutation(groupId: string) {
  return useAppMutation({
    mutate: () => rotateInviteCode(groupId),
    invalidates: () => [groupKeys.detail(groupId), groupKeys.mine()],
    successToast: '已更换',
  })
}

export function useDecideFlaggedMutation(groupId: string) {
  return useAppMutation({
    mutate: ({ messageId, publish }: { messageId: string; publish: boolean }) => decideFlaggedMessage(messageId, publish),
    invalidates: () => [groupKeys.flagged(groupId), groupKeys.messages(groupId)],
    successToast: '已处理',
  })
}
