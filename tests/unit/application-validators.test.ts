/** src/utils: the checks the application wizard makes on the phone before anything is sent. */
import { describe, expect, it } from 'vitest'
import { BANK_ACCOUNT_MESSAGES, checkBankAccount, maskBankAccount } from '../../src/utils/bank-account'
import { checkCreditCode, CREDIT_CODE_MESSAGES } from '../../src/utils/credit-code'
import { checkMobilePhone, MOBILE_PHONE_MESSAGES } from '../../src/utils/phone'
import { checkResidentId, maskResidentId, RESIDENT_ID_MESSAGES } from '../../src/utils/resident-id'

const TODAY = new Date(2026, 11, 1)

describe('resident ID (GB 11643)', () => {
  it('accepts a number whose check digit matches', () => {
    expect(checkResidentId('370203197003152516', TODAY)).toEqual({ ok: true, value: '370203197003152516' })
    expect(checkResidentId('320102198001011238', TODAY)).toEqual({ ok: true, value: '320102198001011238' })
  })

  it('accepts a lower-case x as the check character and stores it upper-case', () => {
    expect(checkResidentId('11010519491231002x', TODAY)).toEqual({ ok: true, value: '11010519491231002X' })
    expect(checkResidentId(' 110105 19491231 002X ', TODAY)).toEqual({ ok: true, value: '11010519491231002X' })
  })

  it('refuses a wrong check digit in Chinese', () => {
    expect(checkResidentId('370203197003152517', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.check })
    expect(checkResidentId('110105194912310021', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.check })
  })

  it('refuses a 15-digit legacy number and says to use the 18-digit one', () => {
    const result = checkResidentId('370203700315251', TODAY)
    expect(result).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.legacy })
    expect(RESIDENT_ID_MESSAGES.legacy).toContain('18位')
  })

  it('refuses other lengths, letters, an impossible or future birth date, and nothing at all', () => {
    expect(checkResidentId('', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.empty })
    expect(checkResidentId('3702031970031525', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.length })
    expect(checkResidentId('37020319700315A516', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.format })
    expect(checkResidentId('370203197002302516', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.birth })
    expect(checkResidentId('370203202712012516', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.birth })
    expect(checkResidentId('070203197003152516', TODAY)).toEqual({ ok: false, message: RESIDENT_ID_MESSAGES.region })
  })

  it('masks all but the first and last four characters', () => {
    expect(maskResidentId('370203197003152516')).toBe('3702**********2516')
  })
})

describe('unified social credit code (GB 32100)', () => {
  it('accepts a code whose check character matches', () => {
    expect(checkCreditCode('91350100M000100Y43')).toEqual({ ok: true, value: '91350100M000100Y43', needsReview: false })
    expect(checkCreditCode('91370202ma3c5b0q1j')).toEqual({ ok: true, value: '91370202MA3C5B0Q1J', needsReview: false })
  })

  it('lets a code with a wrong check character through, flagged for a butler to check by hand', () => {
    const result = checkCreditCode('91350100M000100Y44')
    expect(result).toEqual({ ok: true, value: '91350100M000100Y44', needsReview: true, warning: CREDIT_CODE_MESSAGES.review })
    expect(CREDIT_CODE_MESSAGES.review).toContain('将由管家人工核对')
  })

  it('refuses what cannot be a code: wrong length, I/O/S/V/Z, letters in the region', () => {
    expect(checkCreditCode('')).toEqual({ ok: false, message: CREDIT_CODE_MESSAGES.empty })
    expect(checkCreditCode('91350100M000100Y4')).toEqual({ ok: false, message: CREDIT_CODE_MESSAGES.length })
    expect(checkCreditCode('91350100M000100O43')).toEqual({ ok: false, message: CREDIT_CODE_MESSAGES.format })
    expect(checkCreditCode('9135A100M000100Y43')).toEqual({ ok: false, message: CREDIT_CODE_MESSAGES.region })
  })
})

describe('mobile phone', () => {
  it('accepts 11 digits starting 13–19, dropping spaces, dashes and +86', () => {
    expect(checkMobilePhone('138 0532 1234')).toEqual({ ok: true, value: '13805321234' })
    expect(checkMobilePhone('+8613805321234')).toEqual({ ok: true, value: '13805321234' })
  })

  it('refuses a landline, a short number and nothing', () => {
    expect(checkMobilePhone('0532-88881234')).toEqual({ ok: false, message: MOBILE_PHONE_MESSAGES.format })
    expect(checkMobilePhone('1380532123')).toEqual({ ok: false, message: MOBILE_PHONE_MESSAGES.format })
    expect(checkMobilePhone('12805321234')).toEqual({ ok: false, message: MOBILE_PHONE_MESSAGES.format })
    expect(checkMobilePhone('')).toEqual({ ok: false, message: MOBILE_PHONE_MESSAGES.empty })
  })
})

describe('bank account', () => {
  it('accepts 12 to 30 digits, dropping spaces and dashes', () => {
    expect(checkBankAccount('6222 0216 0200 1234 567')).toEqual({ ok: true, value: '6222021602001234567' })
    expect(checkBankAccount('123456789012')).toEqual({ ok: true, value: '123456789012' })
  })

  it('refuses letters, too few or too many digits', () => {
    expect(checkBankAccount('6222abc')).toEqual({ ok: false, message: BANK_ACCOUNT_MESSAGES.format })
    expect(checkBankAccount('12345678901')).toEqual({ ok: false, message: BANK_ACCOUNT_MESSAGES.length })
    expect(checkBankAccount('1'.repeat(31))).toEqual({ ok: false, message: BANK_ACCOUNT_MESSAGES.length })
    expect(checkBankAccount(' ')).toEqual({ ok: false, message: BANK_ACCOUNT_MESSAGES.empty })
  })

  it('masks all but the last four digits', () => {
    expect(maskBankAccount('6222021602001234567')).toBe('****4567')
  })
})
