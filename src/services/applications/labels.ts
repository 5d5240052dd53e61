/**
 * What the worker reads for the application's states, the programmes' rules and materials. Plain data
 * (no imports), so the tab page in the main package can use the labels without the rest.
 */

export type ApplicationStatus =
  | 'draft'
  | 'submitted'
  | 'under_review'
  | 'needs_supplement'
  | 'approved'
  | 'rejected'
  | 'filed'
  | 'disbursed'
  | 'not_disbursed'

export const APPLICATION_STATUS_LABELS: Record<ApplicationStatus, string> = {
  draft: '草稿',
  submitted: '已提交',
  under_review: '审核中',
  needs_supplement: '待补正',
  approved: '已通过',
  rejected: '未通过',
  filed: '已申报',
  disbursed: '已发放',
  not_disbursed: '未发放',
}

/** What each step of the timeline means for the worker, under its label. */
export const APPLICATION_STATUS_HINTS: Record<ApplicationStatus, string> = {
  draft: '还没有提交，可以继续填写',
  submitted: '已交给创业管家，等待审核',
  under_review: '创业管家正在审核您的材料',
  needs_supplement: '请按要求补正后重新提交',
  approved: '审核通过，将随本月集中申报报送人社部门',
  rejected: '审核未通过',
  filed: '已报送人社部门，等待发放',
  disbursed: '补贴已发放到您的银行账户',
  not_disbursed: '补贴未能发放',
}

export type BatchStatus = 'open' | 'locked' | 'filed' | 'closed'

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  open: '收件中',
  locked: '已截止（公示中）',
  filed: '已申报',
  closed: '已办结',
}

/** How to appeal a rejection, shown with the reason. */
export const APPEAL_TEXT =
  '如对审核结果有异议，可在收到通知之日起60日内向所在街道人社中心提出申诉（可先联系您的创业管家），也可以修改后重新申报。'

export type EligibilityRuleKind =
  | 'displaced_worker'
  | 'has_business'
  | 'registered_within_months'
  | 'social_insurance_months'
  | 'employees_at_least'
  | 'in_incubation_base'
  | 'has_lease'
  | 'not_granted_before'

export interface EligibilityRule {
  rule: EligibilityRuleKind
  value?: number
}

/** A programme's rule as a sentence. */
export function ruleText(rule: EligibilityRule): string {
  switch (rule.rule) {
    case 'displaced_worker':
      return '分流职工或已办理失业登记'
    case 'has_business':
      return '已办理营业执照（个体工商户、企业等）'
    case 'registered_within_months':
      return `营业执照登记未满${rule.value ?? 0}个月`
    case 'social_insurance_months':
      return `为经营实体缴纳社会保险满${rule.value ?? 0}个月`
    case 'employees_at_least':
      return `吸纳就业至少${rule.value ?? 1}人`
    case 'in_incubation_base':
      return '入驻创业孵化基地'
    case 'has_lease':
      return '租用经营场地并签有租赁合同'
    case 'not_granted_before':
      return '以前没有享受过本项补贴'
    default:
      return ''
  }
}

export type MaterialKind = 'photo' | 'pdf' | 'photo_or_pdf'

export interface ProgrammeMaterial {
  key: string
  name: string
  kind: MaterialKind
  required: boolean
  max_files: number
  example: string
  hint: string
}

export const MATERIAL_KIND_LABELS: Record<MaterialKind, string> = {
  photo: '拍照上传',
  pdf: 'PDF 文件',
  photo_or_pdf: '照片或 PDF',
}

/** The programme's materials from its jsonb column, tolerant of a malformed entry (skipped). */
export function programmeMaterials(value: unknown): ProgrammeMaterial[] {
  if (!Array.isArray(value)) return []
  return value
    .filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null && typeof (m as { key?: unknown }).key === 'string')
    .map((m) => ({
      key: String(m.key),
      name: typeof m.name === 'string' ? m.name : String(m.key),
      kind: m.kind === 'pdf' || m.kind === 'photo_or_pdf' ? m.kind : 'photo',
      required: m.required !== false,
      max_files: typeof m.max_files === 'number' && m.max_files > 0 ? m.max_files : 1,
      example: typeof m.example === 'string' ? m.example : '',
      hint: typeof m.hint === 'string' ? m.hint : '',
    }))
}

export function programmeRules(value: unknown): EligibilityRule[] {
  if (!Array.isArray(value)) return []
  return value.filter((r): r is EligibilityRule => typeof r === 'object' && r !== null && typeof (r as { rule?: unknown }).rule === 'string')
}

/** A yuan amount as people write it: 10,000元 (no decimals when whole). */
export function formatYuan(amount: number | string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—'
  const n = Number(amount)
  if (!Number.isFinite(n)) return '—'
  const text = Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  return `${text}元`
}
