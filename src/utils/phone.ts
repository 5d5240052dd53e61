/** A phone number as it may be shown: 138****1234 (first three and last four digits). */
export function maskPhone(phone: string): string {
  const digits = phone.trim()
  if (digits.length < 8) return '****'
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

export type MobilePhoneResult = { ok: true; value: string } | { ok: false; message: string }

export const MOBILE_PHONE_MESSAGES = {
  empty: '请填写手机号',
  format: '请填写11位手机号（1开头），不要带区号或横线',
} as const

/** A mainland mobile number: 11 digits starting 13–19; spaces, dashes and a +86 / 86 prefix are dropped. */
export function checkMobilePhone(input: string): MobilePhoneResult {
  const value = input.replace(/[\s-]+/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '')
  if (value === '') return { ok: false, message: MOBILE_PHONE_MESSAGES.empty }
  if (!/^1[3-9]\d{9}$/.test(value)) return { ok: false, message: MOBILE_PHONE_MESSAGES.format }
  return { ok: true, value }
}
