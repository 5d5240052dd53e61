/**
 * Words for the reviewers' pages (审核, 集中申报, 走访) as pure data and functions, so they are tested
 * without Taro: the statuses of applications and batches, the fields and materials a 补正 can list,
 * money and masked values as people read them.
 */

/** public.application_status. */
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

/** Tag colours of NutUI for each status: what waits for a butler stands out. */
export const APPLICATION_STATUS_TONES: Record<ApplicationStatus, 'default' | 'primary' | 'success' | 'warning' | 'danger'> = {
  draft: 'default',
  submitted: 'danger',
  under_review: 'warning',
  needs_supplement: 'warning',
  approved: 'success',
  rejected: 'default',
  filed: 'primary',
  disbursed: 'success',
  not_disbursed: 'default',
}

/** The queue's filters: 待审核 (submitted or under review) first, then each later state, and 全部. */
export type QueueFilter = 'pending' | 'submitted' | 'under_review' | 'needs_supplement' | 'approved' | 'rejected' | 'all'

export const QUEUE_FILTERS: readonly QueueFilter[] = ['pending', 'needs_supplement', 'approved', 'rejected', 'all']

export const QUEUE_FILTER_LABELS: Record<QueueFilter, string> = {
  pending: '待审核',
  submitted: '已提交',
  under_review: '审核中',
  needs_supplement: '待补正',
  approved: '已通过',
  rejected: '未通过',
  all: '全部',
}

/** The statuses a filter shows (null: every status). */
export function filterStatuses(filter: QueueFilter): readonly ApplicationStatus[] | null {
  if (filter === 'all') return null
  if (filter === 'pending') return ['submitted', 'under_review']
  return [filter]
}

/** public.batch_status. */
export type BatchStatus = 'open' | 'locked' | 'filed' | 'closed'

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  open: '收件中',
  locked: '已截止(公示中)',
  filed: '已申报',
  closed: '已办结',
}

/** Fields of an application a 补正 can ask the worker to redo (save_application_draft's names). */
export const SUPPLEMENT_FIELDS = [
  { key: 'real_name', label: '姓名' },
  { key: 'resident_id', label: '身份证号' },
  { key: 'phone', label: '联系电话' },
  { key: 'bank_name', label: '开户银行' },
  { key: 'bank_account', label: '银行账号' },
  { key: 'business_name', label: '企业名称' },
  { key: 'credit_code', label: '统一社会信用代码' },
  { key: 'registered_on', label: '登记日期' },
  { key: 'employees', label: '从业人数' },
  { key: 'requested_amount', label: '申请金额' },
] as const

export type SupplementFieldKey = (typeof SUPPLEMENT_FIELDS)[number]['key']

export function fieldLabel(key: string): string {
  return SUPPLEMENT_FIELDS.find((field) => field.key === key)?.label ?? key
}

/** One entry of a 补正 list (applications.supplement). */
export interface SupplementItem {
  kind: 'field' | 'material'
  key: string
  /** What the database calls the item (it fills this in). */
  name?: string
  note?: string
}

/** A programme's material as subsidy_programmes.materials lists it. */
export interface ProgrammeMaterial {
  key: string
  name: string
  kind: 'photo' | 'pdf' | 'photo_or_pdf'
  required: boolean
  max_files?: number
  example?: string
  hint?: string
}

/** The materials of a programme from its jsonb (anything malformed left out). */
export function programmeMaterials(value: unknown): ProgrammeMaterial[] {
  if (!Array.isArray(value)) return []
  return value.filter(
    (m): m is ProgrammeMaterial => typeof m === 'object' && m !== null && typeof (m as ProgrammeMaterial).key === 'string' && typeof (m as ProgrammeMaterial).name === 'string',
  )
}

/** An open 补正 list from its jsonb. */
export function supplementItems(value: unknown): SupplementItem[] {
  if (!Array.isArray(value)) return []
  return value.filter((i): i is SupplementItem => typeof i === 'object' && i !== null && typeof (i as SupplementItem).key === 'string')
}

/** What a 补正 item asks for, as the butler and the worker read it. */
export function supplementItemLabel(item: SupplementItem, materials: readonly ProgrammeMaterial[]): string {
  if (item.name) return item.name
  if (item.kind === 'material') return materials.find((m) => m.key === item.key)?.name ?? item.key
  return fieldLabel(item.key)
}

/** Money as people write it: ¥10,000.00 → 10,000元 (cents only when there are some). */
export function formatYuan(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—'
  const n = Number(value)
  if (!Number.isFinite(n)) return '—'
  const whole = Number.isInteger(n)
  return `${n.toLocaleString('en-US', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })}元`
}

/** A batch's month (its first day, YYYY-MM-DD) as people say it: 2026年12月. */
export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(month)
  return m ? `${m[1]}年${Number(m[2])}月` : month
}

/** A timestamp as 2026年12月1日 14:05 in the device's time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/**
 * The amount to offer when approving: what was asked, else the programme's default, never above the
 * programme's maximum; '' when nothing is known.
 */
export function suggestedAmount(defaultAmount: number | string | null, requested: number | string | null, max: number | string | null): string {
  const pick = [requested, defaultAmount].map((v) => (v === null || v === '' ? NaN : Number(v))).find((v) => Number.isFinite(v) && v > 0)
  if (pick === undefined) return ''
  const cap = max === null || max === '' ? Infinity : Number(max)
  return String(Math.min(pick, Number.isFinite(cap) ? cap : pick))
}

/** Checks an amount typed for approval: a message in Chinese, or null when it is good. */
export function checkAmount(text: string, max: number | string | null): string | null {
  const trimmed = text.trim()
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return '请填写核定金额（元，最多两位小数）'
  const n = Number(trimmed)
  if (n <= 0) return '核定金额必须大于0'
  if (max !== null && max !== '' && n > Number(max)) return `核定金额不能超过本项目上限${formatYuan(max)}`
  return null
}
