/**
 * A bank account or card number for the subsidy to be paid into: 12 to 30 digits (bank cards are 16–19,
 * passbook accounts longer). No Luhn check: many passbook accounts do not follow it, and the bank
 * returns a wrong number when the subsidy is paid anyway. Spaces and dashes people type are dropped.
 */

export type BankAccountResult = { ok: true; value: string } | { ok: false; message: string }

export const BANK_ACCOUNT_MESSAGES = {
  empty: '请填写银行账号',
  format: '银行账号只能是数字，请对照银行卡或存折核对',
  length: '银行账号应为12到30位数字，请对照银行卡或存折核对',
} as const

export function checkBankAccount(input: string): BankAccountResult {
  const value = input.replace(/[\s-]+/g, '')
  if (value === '') return { ok: false, message: BANK_ACCOUNT_MESSAGES.empty }
  if (!/^\d+$/.test(value)) return { ok: false, message: BANK_ACCOUNT_MESSAGES.format }
  if (value.length < 12 || value.length > 30) return { ok: false, message: BANK_ACCOUNT_MESSAGES.length }
  return { ok: true, value }
}

/** A bank account as it may be shown: **** and its last 4 digits. */
export function maskBankAccount(value: string): string {
  return `****${value.slice(-4)}`
}
