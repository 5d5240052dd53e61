/** src/services/applications/form.ts: the wizard's checks, what it sends, and where a draft resumes. */
import { describe, expect, it } from 'vitest'
import { checkFields, draftFields, EMPTY_FORM, formFromSaved, resumeStep, supplementItems, APPLICANT_FIELDS, BUSINESS_FIELDS, type ApplicationForm } from '../../src/services/applications/form'

const context = { today: '2026-12-01', maxAmount: 10000 }
const FILLED: ApplicationForm = {
  real_name: '刘建国',
  resident_id: '11010519491231002x',
  phone: '138 0532 1234',
  bank_name: '中国农业银行青岛四方支行',
  bank_account: '6222 0216 0200 1234 567',
  business_name: '青岛建国早餐店',
  credit_code: '91350100m000100y43',
  registered_on: '2026-10-08',
  employees: '2',
  requested_amount: '10000',
}

describe('the wizard form', () => {
  it('a complete form has no errors and sends normalised values', () => {
    expect(checkFields(FILLED, [...APPLICANT_FIELDS, ...BUSINESS_FIELDS], context)).toEqual({})
    expect(draftFields(FILLED, APPLICANT_FIELDS)).toEqual({
      real_name: '刘建国',
      resident_id: '11010519491231002X',
      phone: '13805321234',
      bank_name: '中国农业银行青岛四方支行',
      bank_account: '6222021602001234567',
    })
    expect(draftFields(FILLED, BUSINESS_FIELDS)).toMatchObject({ credit_code: '91350100M000100Y43', employees: 2, requested_amount: 10000 })
  })

  it('refuses a future registration date, an amount over the cap, and a wrong ID check digit, in Chinese', () => {
    const errors = checkFields({ ...FILLED, registered_on: '2026-12-02', requested_amount: '12000', resident_id: '110105194912310021' }, [...APPLICANT_FIELDS, ...BUSINESS_FIELDS], context)
    expect(errors).toEqual({
      registered_on: '登记日期不能晚于今天',
      requested_amount: '申请金额不能超过本项目上限10000元',
      resident_id: '身份证号最后一位校验码不对，可能有一位输错了，请逐位核对',
    })
  })

  it('a credit code failing its check character is not an error (flagged for a butler instead)', () => {
    expect(checkFields({ ...FILLED, credit_code: '91350100M000100Y44' }, BUSINESS_FIELDS, context)).toEqual({})
  })

  it('resumes at consent, then the first incomplete step, then materials, then the review', () => {
    expect(resumeStep(false, FILLED, context, true)).toBe('consent')
    expect(resumeStep(true, EMPTY_FORM, context, false)).toBe('applicant')
    expect(resumeStep(true, { ...FILLED, business_name: '' }, context, false)).toBe('business')
    expect(resumeStep(true, FILLED, context, false)).toBe('materials')
    expect(resumeStep(true, FILLED, context, true)).toBe('review')
  })

  it('fills the form back from the server, the ID and account from application_sensitive', () => {
    const form = formFromSaved(
      { consented_at: null, real_name: '刘建国', phone: '13805321234', bank_name: null, business_name: null, credit_code: null, registered_on: null, employees: null, requested_amount: null },
      { resident_id: '11010519491231002X', bank_account: null },
      10000,
    )
    expect(form).toMatchObject({ real_name: '刘建国', resident_id: '11010519491231002X', bank_account: '', requested_amount: '10000', employees: '' })
  })

  it('reads the 补正 list, skipping malformed entries', () => {
    expect(supplementItems([{ kind: 'material', key: 'id_card', note: '照片模糊' }, { kind: 'field', key: 'bank_account' }, 'x', null])).toEqual([
      { kind: 'material', key: 'id_card', note: '照片模糊' },
      { kind: 'field', key: 'bank_account', note: '' },
    ])
    expect(supplementItems(null)).toEqual([])
  })
})
