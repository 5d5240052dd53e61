/**
 * The wizard's form, as plain functions the pages and tests share: the fields of each step, their
 * checks on the phone (the database checks them again and stays the judge), what is sent to
 * save_application_draft, and where a resumed application picks up.
 *
 * The form lives in React state only. Nothing here (or in the wizard) is written to Taro storage: the
 * draft's home is the server, so it resumes on any phone and no resident ID or bank account is left on
 * a shared one (tests/unit/application-storage.test.ts).
 */
import { checkBankAccount } from '../../utils/bank-account'
import { checkCreditCode } from '../../utils/credit-code'
import { checkMobilePhone } from '../../utils/phone'
import { checkResidentId } from '../../utils/resident-id'

export interface ApplicationForm {
  real_name: string
  resident_id: string
  phone: string
  bank_name: string
  bank_account: string
  business_name: string
  credit_code: string
  registered_on: string
  employees: string
  requested_amount: string
}

export type FieldKey = keyof ApplicationForm

export const EMPTY_FORM: ApplicationForm = {
  real_name: '',
  resident_id: '',
  phone: '',
  bank_name: '',
  bank_account: '',
  business_name: '',
  credit_code: '',
  registered_on: '',
  employees: '',
  requested_amount: '',
}

export const FIELD_LABELS: Record<FieldKey, string> = {
  real_name: '真实姓名',
  resident_id: '身份证号',
  phone: '手机号',
  bank_name: '开户银行',
  bank_account: '银行账号',
  business_name: '企业（个体户）名称',
  credit_code: '统一社会信用代码',
  registered_on: '营业执照登记日期',
  employees: '从业人数（含本人）',
  requested_amount: '申请金额（元）',
}

/** The wizard's steps, in order. */
export const STEPS = ['consent', 'applicant', 'business', 'materials', 'review'] as const
export type Step = (typeof STEPS)[number]

export const STEP_LABELS: Record<Step, string> = {
  consent: '同意',
  applicant: '申请人',
  business: '企业',
  materials: '材料',
  review: '核对',
}

export const APPLICANT_FIELDS: readonly FieldKey[] = ['real_name', 'resident_id', 'phone', 'bank_name', 'bank_account']
export const BUSINESS_FIELDS: readonly FieldKey[] = ['business_name', 'credit_code', 'registered_on', 'employees', 'requested_amount']

/** Fields the person's own screens may show in full only while they edit them (masked elsewhere). */
export const SENSITIVE_FIELDS: readonly FieldKey[] = ['resident_id', 'bank_account']

export type FormErrors = Partial<Record<FieldKey, string>>

export interface CheckContext {
  /** Today, as YYYY-MM-DD (the registration date may not be later). */
  today: string
  /** The programme's highest amount, when it has one. */
  maxAmount: number | null
}

function textLength(value: string): number {
  return [...value.trim()].length
}

/** The first thing wrong with one field, in Chinese, or undefined. */
export function checkField(field: FieldKey, value: string, context: CheckContext): string | undefined {
  const v = value.trim()
  switch (field) {
    case 'real_name':
      if (!v) return '请填写真实姓名'
      if (textLength(v) < 2 || textLength(v) > 30) return '姓名应为2到30个字'
      return undefined
    case 'resident_id': {
      const r = checkResidentId(v)
      return r.ok ? undefined : r.message
    }
    case 'phone': {
      const r = checkMobilePhone(v)
      return r.ok ? undefined : r.message
    }
    case 'bank_name':
      if (!v) return '请填写开户银行，如：中国农业银行青岛四方支行'
      if (textLength(v) < 2 || textLength(v) > 60) return '开户银行应为2到60个字'
      return undefined
    case 'bank_account': {
      const r = checkBankAccount(v)
      return r.ok ? undefined : r.message
    }
    case 'business_name':
      if (!v) return '请填写营业执照上的名称'
      if (textLength(v) < 2 || textLength(v) > 100) return '名称应为2到100个字'
      return undefined
    case 'credit_code': {
      const r = checkCreditCode(v)
      return r.ok ? undefined : r.message
    }
    case 'registered_on':
      if (!v) return '请选择营业执照上的登记日期'
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return '请选择营业执照上的登记日期'
      if (v > context.today) return '登记日期不能晚于今天'
      return undefined
    case 'employees': {
      if (!v) return '请填写从业人数'
      if (!/^\d+$/.test(v)) return '从业人数请填写整数'
      const n = Number(v)
      if (n > 9999) return '从业人数不能超过9999人'
      return undefined
    }
    case 'requested_amount': {
      if (!v) return '请填写申请金额'
      if (!/^\d+(\.\d{1,2})?$/.test(v)) return '申请金额请填写数字，最多两位小数'
      const n = Number(v)
      if (n <= 0) return '申请金额应大于0'
      if (context.maxAmount !== null && n > context.maxAmount) return `申请金额不能超过本项目上限${context.maxAmount}元`
      return undefined
    }
    default:
      return undefined
  }
}

/** The warning (not an error) of a credit code whose check character fails. */
export function creditCodeWarning(value: string): string | undefined {
  const r = checkCreditCode(value.trim())
  return r.ok && r.needsReview ? r.warning : undefined
}

export function checkFields(form: ApplicationForm, fields: readonly FieldKey[], context: CheckContext): FormErrors {
  const errors: FormErrors = {}
  for (const field of fields) {
    const message = checkField(field, form[field], context)
    if (message) errors[field] = message
  }
  return errors
}

/** The value save_application_draft receives for a field: normalised (upper-case X, no spaces), typed. */
export function fieldValue(field: FieldKey, value: string): string | number {
  const v = value.trim()
  switch (field) {
    case 'resident_id': {
      const r = checkResidentId(v)
      return r.ok ? r.value : v
    }
    case 'credit_code': {
      const r = checkCreditCode(v)
      return r.ok ? r.value : v
    }
    case 'phone': {
      const r = checkMobilePhone(v)
      return r.ok ? r.value : v
    }
    case 'bank_account': {
      const r = checkBankAccount(v)
      return r.ok ? r.value : v
    }
    case 'employees':
      return Number(v)
    case 'requested_amount':
      return Number(v)
    default:
      return v
  }
}

/** The `fields` argument of save_application_draft for the given fields. */
export function draftFields(form: ApplicationForm, fields: readonly FieldKey[]): Record<string, string | number> {
  const out: Record<string, string | number> = {}
  for (const field of fields) out[field] = fieldValue(field, form[field])
  return out
}

/** What the server has of a draft, as the wizard reads it back (sensitive values from application_sensitive). */
export interface SavedApplication {
  consented_at: string | null
  real_name: string | null
  phone: string | null
  bank_name: string | null
  business_name: string | null
  credit_code: string | null
  registered_on: string | null
  employees: number | null
  requested_amount: number | string | null
}

export function formFromSaved(saved: SavedApplication, sensitive: { resident_id: string | null; bank_account: string | null } | null, defaultAmount: number | null): ApplicationForm {
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v))
  return {
    real_name: text(saved.real_name),
    resident_id: text(sensitive?.resident_id),
    phone: text(saved.phone),
    bank_name: text(saved.bank_name),
    bank_account: text(sensitive?.bank_account),
    business_name: text(saved.business_name),
    credit_code: text(saved.credit_code),
    registered_on: text(saved.registered_on),
    employees: text(saved.employees),
    requested_amount: saved.requested_amount !== null && saved.requested_amount !== undefined ? text(Number(saved.requested_amount)) : text(defaultAmount),
  }
}

/**
 * Where a resumed application picks up: consent first, then the first step with a field missing or
 * wrong, then materials when a required one has no file, else the review.
 */
export function resumeStep(consented: boolean, form: ApplicationForm, context: CheckContext, materialsComplete: boolean): Step {
  if (!consented) return 'consent'
  if (Object.keys(checkFields(form, APPLICANT_FIELDS, context)).length > 0) return 'applicant'
  if (Object.keys(checkFields(form, BUSINESS_FIELDS, context)).length > 0) return 'business'
  if (!materialsComplete) return 'materials'
  return 'review'
}

/** The open 补正 list (applications.supplement). */
export interface SupplementItem {
  kind: 'field' | 'material'
  key: string
  note: string
}

export function supplementItems(value: unknown): SupplementItem[] {
  if (!Array.isArray(value)) return []
  return value
    .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null && typeof (i as { key?: unknown }).key === 'string')
    .map((i) => ({ kind: i.kind === 'material' ? 'material' : 'field', key: String(i.key), note: typeof i.note === 'string' ? i.note : '' }))
}

export function isFieldKey(key: string): key is FieldKey {
  return Object.prototype.hasOwnProperty.call(EMPTY_FORM, key)
}
