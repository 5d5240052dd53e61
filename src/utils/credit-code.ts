/**
 * The unified social credit code (统一社会信用代码) of a business, as GB 32100-2015 defines it: 18
 * characters from 0–9 and the capital letters without I, O, S, V and Z; the registration authority, the
 * kind of body, 6 digits of the region, 9 characters of the organisation code, and a check character
 * (MOD 31).
 *
 * A code whose check character does not match is NOT refused: some real codes issued in the early years
 * fail it, so the application is flagged and a butler checks the licence by hand ("将由管家人工核对").
 * Only a code that cannot be one (wrong length or characters) is an error.
 */

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

export type CreditCodeResult =
  | { ok: true; value: string; needsReview: false }
  | { ok: true; value: string; needsReview: true; warning: string }
  | { ok: false; message: string }

export const CREDIT_CODE_MESSAGES = {
  empty: '请填写统一社会信用代码',
  length: '统一社会信用代码应为18位，请对照营业执照核对',
  format: '统一社会信用代码只含数字和大写字母（不含I、O、S、V、Z），请对照营业执照核对',
  region: '统一社会信用代码第3到8位应为数字（地区码），请对照营业执照核对',
  review: '校验位与规则不一致，如与营业执照一致可以继续，将由管家人工核对',
} as const

/** The check character of the first 17 characters (all from the code's character set). */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i]
  const check = (31 - (sum % 31)) % 31
  return CHARSET[check]
}

/** Checks a credit code as typed (spaces ignored, lower case read as upper case). */
export function checkCreditCode(input: string): CreditCodeResult {
  const value = input.replace(/\s+/g, '').toUpperCase()
  if (value === '') return { ok: false, message: CREDIT_CODE_MESSAGES.empty }
  if (value.length !== 18) return { ok: false, message: CREDIT_CODE_MESSAGES.length }
  if (![...value].every((c) => CHARSET.includes(c))) return { ok: false, message: CREDIT_CODE_MESSAGES.format }
  if (!/^\d{6}$/.test(value.slice(2, 8))) return { ok: false, message: CREDIT_CODE_MESSAGES.region }
  if (creditCodeCheckChar(value) !== value[17]) return { ok: true, value, needsReview: true, warning: CREDIT_CODE_MESSAGES.review }
  return { ok: true, value, needsReview: false }
}
