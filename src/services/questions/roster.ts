/**
 * 值班表 of a group: who is on duty when. Members read it; the group's butlers (and admins) add and
 * remove shifts (row-level security and the table's checks decide: no overlapping shifts for one butler,
 * at most 31 days each). A change is remove-and-add: the mini-program cannot send PATCH.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

export async function getRoster(groupId: string, from: Date, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client
    .from('group_duty_shifts')
    .select('id, group_id, butler_id, starts_at, ends_at, note, butler:profiles!group_duty_shifts_butler_id_fkey(display_name)')
    .eq('group_id', groupId)
    .gte('ends_at', from.toISOString())
    .order('starts_at', { ascending: true })
    .limit(200)
  if (error) handleError(error, status)
  return data
}

export type Shift = Awaited<ReturnType<typeof getRoster>>[number]

export interface NewShift {
  groupId: string
  butlerId: string
  startsAt: Date
  endsAt: Date
  note: string
}

export async function addShift(shift: NewShift, client: AppSupabaseClient = getSupabase()) {
  const { error, status } = await client.from('group_duty_shifts').insert({
    group_id: shift.groupId,
    butler_id: shift.butlerId,
    starts_at: shift.startsAt.toISOString(),
    ends_at: shift.endsAt.toISOString(),
    note: shift.note.trim(),
  })
  if (error) handleError(error, status)
}

export async function removeShift(shiftId: string, client: AppSupabaseClient = getSupabase()) {
  const { error, status } = await client.from('group_duty_shifts').delete().eq('id', shiftId)
  if (error) handleError(error, status)
}

export function useRoster(groupId: string | null) {
  // From the start of today: what is on now and coming.
  const from = new Date()
  from.setHours(0, 0, 0, 0)
  return useAppQuery({ key: questionKeys.roster(groupId ?? ''), fetcher: () => getRoster(groupId!, from), enabled: groupId !== null })
}

export function useAddShiftMutation(groupId: string) {
  return useAppMutation({ mutate: (shift: NewShift) => addShift(shift), invalidates: () => [questionKeys.roster(groupId)], successToast: '已添加' })
}

export function useRemoveShiftMutation(groupId: string) {
  return useAppMutation({ mutate: (shiftId: string) => removeShift(shiftId), invalidates: () => [questionKeys.roster(groupId)], successToast: '已删除' })
}
