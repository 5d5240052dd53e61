/**
 * The forms of the reviewers' pages as pure functions (tested without Taro): the programme editor's
 * values, checks and the jsonb save_subsidy_programme takes, and the check of a visit before saving.
 */
import { programmeMaterials, type ProgrammeMaterial } from './labels'
import type { ProgrammeRow } from './programmes'

/** Eligibility rule kinds (subsidy_programmes.eligibility) and how the form names them. */
export const RULE_KINDS = [
  { rule: 'displaced_worker', label: '分流职工或登记失业人员', needsValue: false },
  { rule: 'has_business', label: '已办理营业执照', needsValue: false },
  { rule: 'registered_within_months', label: '登记注册不超过N个月', needsValue: true },
  { rule: 'social_insurance_months', label: '已缴社保满M个月', needsValue: true },
  { rule: 'employees_at_least', label: '带动就业至少N人', needsValue: true },
  { rule: 'in_incubation_base', label: '入驻孵化基地', needsValue: false },
  { rule: 'has_lease', label: '有经营场地租赁合同', needsValue: false },
  { rule: 'not_granted_before', label: '未享受过本项补贴', needsValue: false },
] as const

export type RuleKind = (typeof RULE_KINDS)[number]['rule']

export interface EligibilityRule {
  rule: RuleKind
  value?: number
}

export const MATERIAL_KINDS = [
  { kind: 'photo', label: '照片' },
  { kind: 'pdf', label: 'PDF' },
  { kind: 'photo_or_pdf', label: '照片或PDF' },
] as const

export interface ProgrammeForm {
  id: string | null
  code: string
  name: string
  summary: string
  description: string
  amount_rule: string
  default_amount: string
  max_amount: string
  opens_on: string
  closes_on: string
  sort_order: string
  active: boolean
  eligibility: Array<{ rule: RuleKind; value: string }>
  materials: Array<{ key: string; name: string; kind: ProgrammeMaterial['kind']; required: boolean; max_files: string; example: string; hint: string }>
}

export function emptyProgrammeForm(today: string): ProgrammeForm {
  return {
    id: null,
    code: '',
    name: '',
    summary: '',
    description: '',
    amount_rule: '',
    default_amount: '',
    max_amount: '',
    opens_on: today,
    closes_on: '',
    sort_order: '100',
    active: true,
    eligibility: [],
    materials: [],
  }
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))

export function formFromProgramme(row: ProgrammeRow): ProgrammeForm {
  const rules = Array.isArray(row.eligibility) ? (row.eligibility as unknown as EligibilityRule[]) : []
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    summary: text(row.summary),
    description: text(row.description),
    amount_rule: text(row.amount_rule),
    default_amount: text(row.default_amount),
    max_amount: text(row.max_amount),
    opens_on: text(row.opens_on),
    closes_on: text(row.closes_on),
    sort_order: text(row.sort_order),
    active: row.active,
    eligibility: rules.filter((r) => RULE_KINDS.some((k) => k.rule === r.rule)).map((r) => ({ rule: r.rule, value: text(r.value) })),
    materials: programmeMaterials(row.materials).map((m) => ({
      key: m.key,
      name: m.name,
      kind: m.kind,
      required: m.required !== false,
      max_files: text(m.max_files ?? 1),
      example: text(m.example),
      hint: text(m.hint),
    })),
  }
}

/** The first problem of the form in Chinese, or null. The database checks the same and more. */
export function checkProgrammeForm(form: ProgrammeForm): string | null {
  if (!/^[a-z][a-z0-9_]{2,39}$/.test(form.code.trim())) return '项目代码为3到40位小写字母、数字或下划线，以字母开头'
  if (!form.name.trim()) return '请填写项目名称'
  const money = /^\d+(\.\d{1,2})?$/
  if (form.default_amount.trim() && !money.test(form.default_amount.trim())) return '标准金额应为数字（元）'
  if (form.max_amount.trim() && !money.test(form.max_amount.trim())) return '最高金额应为数字（元）'
  if (form.default_amount.trim() && form.max_amount.trim() && Number(form.default_amount) > Number(form.max_amount)) return '标准金额不能高于最高金额'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.opens_on)) return '请选择开始受理日期'
  if (form.closes_on && form.closes_on < form.opens_on) return '截止日期不能早于开始日期'
  for (const rule of form.eligibility) {
    const kind = RULE_KINDS.find((k) => k.rule === rule.rule)
    if (kind?.needsValue && !/^\d{1,4}$/.test(rule.value.trim())) return `请填写“${kind.label}”中的数字`
  }
  const keys = new Set<string>()
  for (const material of form.materials) {
    if (!/^[a-z][a-z0-9_]{1,39}$/.test(material.key.trim())) return '材料代码为2到40位小写字母、数字或下划线，以字母开头'
    if (keys.has(material.key.trim())) return `材料代码“${material.key}”重复了`
    keys.add(material.key.trim())
    if (!material.name.trim()) return '请填写每项材料的名称'
    if (!/^\d{1,2}$/.test(material.max_files.trim()) || Number(material.max_files) < 1) return `“${material.name}”最多文件数应为1到99`
  }
  return null
}

/** The jsonb save_subsidy_programme takes. */
export function programmeFromForm(form: ProgrammeForm): Record<string, unknown> {
  const amount = (value: string) => (value.trim() ? Number(value.trim()) : null)
  return {
    ...(form.id ? { id: form.id } : {}),
    code: form.code.trim(),
    name: form.name.trim(),
    summary: form.summary.trim(),
    description: form.description.trim(),
    amount_rule: form.amount_rule.trim(),
    default_amount: amount(form.default_amount),
    max_amount: amount(form.max_amount),
    opens_on: form.opens_on,
    closes_on: form.closes_on || null,
    sort_order: Number(form.sort_order || 100),
    active: form.active,
    eligibility: form.eligibility.map((r) => {
      const kind = RULE_KINDS.find((k) => k.rule === r.rule)
      return kind?.needsValue ? { rule: r.rule, value: Number(r.value) } : { rule: r.rule }
    }),
    materials: form.materials.map((m) => ({
      key: m.key.trim(),
      name: m.name.trim(),
      kind: m.kind,
      required: m.required,
      max_files: Number(m.max_files),
      example: m.example.trim(),
      hint: m.hint.trim(),
    })),
  }
}


/** What a 走访记录 holds (save_visit's fields). */
export interface VisitFields {
  visited_on: string
  base_name: string
  people_met: string
  notes: string
  photo_paths: string[]
}

/** Checks a visit before saving: the first problem in Chinese, or null. */
export function checkVisit(fields: VisitFields, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fields.visited_on)) return '请选择走访日期'
  if (fields.visited_on > today) return '走访日期不能晚于今天'
  if (!fields.base_name.trim()) return '请填写孵化基地名称'
  if (fields.base_name.trim().length > 100) return '孵化基地名称不能超过100个字'
  if (fields.people_met.trim().length > 500) return '见到的人不能超过500个字'
  if (fields.notes.trim().length > 4000) return '走访情况不能超过4000个字'
  return null
}

