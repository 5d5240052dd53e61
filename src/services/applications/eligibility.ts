/**
 * 政策自测: the answers go to eligibility_check, which stores nothing and answers, per active programme,
 * whether it fits, why not (Chinese sentences), and the materials to prepare.
 */
import { handleError } from '../errors'
import { useAppMutation } from '../query/use-app-mutation'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export interface EligibilityAnswers {
  displaced_worker: boolean
  has_business: boolean
  /** Months since the business was registered; null without a business. */
  registered_months: number | null
  social_insurance_months: number
  employees: number
  in_incubation_base: boolean
  has_lease: boolean
  /** Codes of the programmes already granted to the person. */
  granted_codes: string[]
}

export async function checkEligibility(answers: EligibilityAnswers, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('eligibility_check', { answers: answers as never })
  if (error) handleError(error, status)
  return data ?? []
}

export type EligibilityResult = Awaited<ReturnType<typeof checkEligibility>>[number]

export function useEligibilityCheck() {
  return useAppMutation({ mutate: (answers: EligibilityAnswers) => checkEligibility(answers), errorToast: false })
}
