/**
 * The reviewer's decisions, each one RPC that locks the application, checks its status and appends an
 * event (开始审核, 通过 with an amount, 不通过 with a reason, 补正 with the list of items to redo). When
 * another butler got there first the database answers P0001 '该申报已被其他管家处理，请刷新': the page
 * says so and shows the application as it is now.
 */
import { AppError, handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { reviewKeys } from './keys'
import type { SupplementItem } from './labels'

export async function startReview(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('start_application_review', { application_id: applicationId })
  if (error) handleError(error, status)
  return data
}

export async function approveApplication(applicationId: string, amount: number, note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('approve_application', { application_id: applicationId, amount, note: note.trim() })
  if (error) handleError(error, status)
  return data
}

export async function rejectApplication(applicationId: string, reason: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('reject_application', { application_id: applicationId, reason: reason.trim() })
  if (error) handleError(error, status)
  return data
}

export async function requestSupplement(applicationId: string, items: readonly SupplementItem[], note: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('request_application_supplement', {
    application_id: applicationId,
    items: items as unknown as never,
    note: note.trim(),
  })
  if (error) handleError(error, status)
  return data
}

/** Whether a failure means someone else changed the application first (the page then shows it afresh). */
export function isHandledElsewhere(error: AppError | null): boolean {
  return !!error && error.detail.startsWith('P0001') && error.message.includes('其他管家')
}

export const HANDLED_ELSEWHERE = '该申报已被其他管家处理'

export type ReviewDecision =
  | { action: 'start' }
  | { action: 'approve'; amount: number; note: string }
  | { action: 'reject'; reason: string }
  | { action: 'supplement'; items: SupplementItem[]; note: string }

function decide(applicationId: string, decision: ReviewDecision) {
  switch (decision.action) {
    case 'start':
      return startReview(applicationId)
    case 'approve':
      return approveApplication(applicationId, decision.amount, decision.note)
    case 'reject':
      return rejectApplication(applicationId, decision.reason)
    case 'supplement':
      return requestSupplement(applicationId, decision.items, decision.note)
  }
}

export const DECISION_TOASTS: Record<ReviewDecision['action'], string> = {
  start: '已开始审核',
  approve: '已通过',
  reject: '已退回',
  supplement: '已通知补正',
}

/** One mutation for every decision: a second tap while one runs is ignored (useAppMutation). */
export function useReviewDecision(applicationId: string) {
  return useAppMutation({
    mutate: (decision: ReviewDecision) => decide(applicationId, decision),
    invalidates: () => [reviewKeys.application(applicationId), [...reviewKeys.all, 'queue'], reviewKeys.batches()],
    errorToast: false,
  })
}

/** 已人工核对: the butler checked by hand a credit code whose check digit failed (recorded in the history). */
export async function confirmCreditCode(applicationId: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('confirm_credit_code', { application_id: applicationId })
  if (error) handleError(error, status)
  return data
}

export function useConfirmCreditCode(applicationId: string) {
  return useAppMutation({
    mutate: () => confirmCreditCode(applicationId),
    invalidates: () => [reviewKeys.application(applicationId), [...reviewKeys.all, 'batch']],
    successToast: '已确认',
  })
}
