/**
 * Checks the onboarding form before it is sent, with the messages the person reads under each field. The
 * database checks the same limits (profiles' CHECK constraints); this only says it earlier and kindly.
 */
import type { OnboardingInput } from './complete-onboarding'

export type OnboardingField = keyof OnboardingInput
export type OnboardingErrors = Partial<Record<OnboardingField, string>>

export const ONBOARDING_LIMITS = {
  nameMin: 2,
  nameMax: 20,
  districtMax: 40,
  employerMax: 40,
  intentionMax: 200,
  earliestDisplacedOn: '1990-01-01',
} as const

/** Length in characters as people count them (a Chinese character is one, whatever its encoding). */
function length(text: string): number {
  return [...text.trim()].length
}

/** `today` is YYYY-MM-DD in the person's time zone. */
export function validateOnboarding(input: OnboardingInput, today: string): OnboardingErrors {
  const errors: OnboardingErrors = {}
  const name = length(input.displayName)
  if (name === 0) errors.displayName = '请填写姓名'
  else if (name < ONBOARDING_LIMITS.nameMin || name > ONBOARDING_LIMITS.nameMax) errors.displayName = '姓名应为2到20个字'

  const district = length(input.district)
  if (district === 0) errors.district = '请填写所属街道'
  else if (district > ONBOARDING_LIMITS.districtMax) errors.district = '所属街道不能超过40个字'

  if (length(input.formerEmployer) > ONBOARDING_LIMITS.employerMax) errors.formerEmployer = '原单位不能超过40个字'

  if (input.displacedOn) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.displacedOn)) errors.displacedOn = '请选择分流日期'
    else if (input.displacedOn > today) errors.displacedOn = '分流日期不能晚于今天'
    else if (input.displacedOn < ONBOARDING_LIMITS.earliestDisplacedOn) errors.displacedOn = '分流日期不能早于1990年'
  }

  if (length(input.startupIntention) > ONBOARDING_LIMITS.intentionMax) errors.startupIntention = '创业意向不能超过200个字'
  return errors
}
