/**
 * Checks the onboarding form before it is sent, with the messages the person reads under each field.
 * The database checks the same rules with the same sentences (complete_onboarding, migration
 * 20261202260000); this only says it earlier. Nothing is ever cut: over-long text gets a message with
 * its length, so the person decides what to shorten.
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

/** Letters of a name: CJK ideographs (Ext. A, unified, compatibility, Ext. B–G), 〇, Latin letters. */
const LETTERS = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}\\u3007A-Za-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u024f'
/** Letters, with a middle dot (阿卜杜·热合曼), a full stop or a space only between them. */
const NAME = new RegExp(`^[${LETTERS}](?:[${LETTERS}\\u00b7\\u2022\\u30fb\\u2027. ]*[${LETTERS}])?$`, 'u')
/** Text that says something: a letter or a digit (ASCII or full-width), not only symbols or emoji. */
const MEANINGFUL = new RegExp(`[${LETTERS}0-9\\uff10-\\uff19]`, 'u')
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
/** What the database trims from the edges: spaces, tabs, line breaks, the ideographic space. */
const EDGES = /^[ \t\r\n\u3000]+|[ \t\r\n\u3000]+$/g

/** The field as it is saved: its edges trimmed as the database trims them. */
export function trimField(text: string): string {
  return text.replace(EDGES, '')
}

/** Length in characters as people count them (a Chinese character is one, whatever its encoding). */
export function textLength(text: string): number {
  return [...trimField(text)].length
}

export const ONBOARDING_MESSAGES = {
  nameMissing: '请填写姓名',
  nameLength: (n: number) => `姓名应为2到20个字，现在是${n}个字`,
  nameCharacters: '姓名只能填写汉字或字母，少数民族姓名可用“·”隔开',
  districtMissing: '请填写所属街道',
  districtLength: (n: number) => `所属街道不能超过40个字，现在是${n}个字`,
  districtText: '所属街道请填写街道名称，如“兴隆路街道”',
  employerLength: (n: number) => `原单位不能超过40个字，现在是${n}个字`,
  employerText: '原单位请填写单位名称，如“青岛钢铁”',
  displacedOnFormat: '请选择分流日期',
  displacedOnFuture: '分流日期不能晚于今天',
  displacedOnEarly: '分流日期不能早于1990年',
  intentionLength: (n: number) => `创业意向不能超过200个字，现在是${n}个字`,
  intentionText: '创业意向请用文字写一写想做什么',
} as const

const M = ONBOARDING_MESSAGES

/** What is wrong with one field, or undefined. `today` is YYYY-MM-DD in the person's time zone. */
export function validateOnboardingField(field: OnboardingField, value: string, today: string): string | undefined {
  const text = trimField(value)
  const n = textLength(value)
  switch (field) {
    case 'displayName':
      if (n === 0) return M.nameMissing
      if (n < ONBOARDING_LIMITS.nameMin || n > ONBOARDING_LIMITS.nameMax) return M.nameLength(n)
      if (!NAME.test(text)) return M.nameCharacters
      return undefined
    case 'district':
      if (n === 0) return M.districtMissing
      if (n > ONBOARDING_LIMITS.districtMax) return M.districtLength(n)
      if (CONTROL.test(text) || !MEANINGFUL.test(text)) return M.districtText
      return undefined
    case 'formerEmployer':
      if (n > ONBOARDING_LIMITS.employerMax) return M.employerLength(n)
      if (n > 0 && (CONTROL.test(text) || !MEANINGFUL.test(text))) return M.employerText
      return undefined
    case 'displacedOn':
      if (!value) return undefined
      if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return M.displacedOnFormat
      if (value > today) return M.displacedOnFuture
      if (value < ONBOARDING_LIMITS.earliestDisplacedOn) return M.displacedOnEarly
      return undefined
    case 'startupIntention':
      if (n > ONBOARDING_LIMITS.intentionMax) return M.intentionLength(n)
      if (n > 0 && (CONTROL_BUT_LINES.test(text) || !MEANINGFUL.test(text))) return M.intentionText
      return undefined
  }
}

/** The most characters a field takes (for its counter), or undefined for fields without a length. */
export function fieldMaxLength(field: OnboardingField): number | undefined {
  switch (field) {
    case 'displayName':
      return ONBOARDING_LIMITS.nameMax
    case 'district':
      return ONBOARDING_LIMITS.districtMax
    case 'formerEmployer':
      return ONBOARDING_LIMITS.employerMax
    case 'startupIntention':
      return ONBOARDING_LIMITS.intentionMax
    default:
      return undefined
  }
}

/** `today` is YYYY-MM-DD in the person's time zone. */
export function validateOnboarding(input: OnboardingInput, today: string): OnboardingErrors {
  const errors: OnboardingErrors = {}
  for (const field of Object.keys(input) as OnboardingField[]) {
    const message = validateOnboardingField(field, input[field], today)
    if (message) errors[field] = message
  }
  return errors
}
