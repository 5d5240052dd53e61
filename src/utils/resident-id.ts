/**
 * The resident identity number (公民身份号码) as GB 11643-1999 defines it: 6 digits of the region, 8 of
 * the birth date (YYYYMMDD), 3 of the sequence, and a check character computed with ISO 7064 MOD 11-2
 * (0–9 or X). Checked on the phone so the person reads a Chinese message at once; the database checks it
 * again and stays the judge.
 *
 * The old 15-digit numbers (before 1999) are refused: every card in use today is the 18-digit one, and an
 * application needs the number on the current card.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const CHECK_CHARS = '10X98765432'

export type ResidentIdResult = { ok: true; value: string } | { ok: false; message: string }

export const RESIDENT_ID_MESSAGES = {
  empty: '请填写身份证号',
  legacy: '这是15位的旧身份证号，请填写第二代身份证上的18位号码',
  length: '身份证号应为18位，请核对',
  format: '身份证号只能是数字，最后一位可以是X',
  region: '身份证号前6位（地区码）不正确，请核对',
  birth: '身份证号中的出生日期不正确，请核对',
  check: '身份证号最后一位校验码不对，可能有一位输错了，请逐位核对',
} as const

/** The check character of the first 17 characters (digits). */
export function residentIdCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

function validBirthDate(yyyymmdd: string, today: Date): boolean {
  const year = Number(yyyymmdd.slice(0, 4))
  const month = Number(yyyymmdd.slice(4, 6))
  const day = Number(yyyymmdd.slice(6, 8))
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false
  const date = new Date(year, month - 1, day)
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return false
  return date.getTime() <= today.getTime()
}

/**
 * Checks a resident ID as typed: spaces are ignored and a lower-case x is read as X. Answers the number
 * to store (upper-case X), or the first thing wrong with it in Chinese.
 */
export function checkResidentId(input: string, today: Date = new Date()): ResidentIdResult {
  const value = input.replace(/\s+/g, '').toUpperCase()
  if (value === '') return { ok: false, message: RESIDENT_ID_MESSAGES.empty }
  if (/^\d{15}$/.test(value)) return { ok: false, message: RESIDENT_ID_MESSAGES.legacy }
  if (value.length !== 18) return { ok: false, message: RESIDENT_ID_MESSAGES.length }
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, message: RESIDENT_ID_MESSAGES.format }
  if (!/^[1-9]\d{5}/.test(value) || value[0] === '9') return { ok: false, message: RESIDENT_ID_MESSAGES.region }
  if (!validBirthDate(value.slice(6, 14), today)) return { ok: false, message: RESIDENT_ID_MESSAGES.birth }
  if (residentIdCheckChar(value) !== value[17]) return { ok: false, message: RESIDENT_ID_MESSAGES.check }
  return { ok: true, value }
}

/** A resident ID as it may be shown: first 4 and last 4 characters (3201**********1234). */
export function maskResidentId(value: string): string {
  if (value.length < 8) return '****'
  return `${value.slice(0, 4)}${'*'.repeat(Math.max(value.length - 8, 4))}${value.slice(-4)}`
}
