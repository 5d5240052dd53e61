/**
 * Fixtures for the monthly-batch tests (batches, batches-access, application-export, the bench): two
 * groups in two streets of their own (never the seeded ones), a programme of their own, and batches and
 * applications written as superuser, in any state, without going through the review RPCs.
 *
 *   street SX (group GX): butler1 and butler2 are butlers, worker2 a member
 *   street SY (group GY): butler2 is the butler, worker1 a member
 * So butler1 is "the other street's butler" for SY, and butler2 looks after both streets.
 */
import type { TestBackend } from './backend'
import { people } from './clients'

type Db = Pick<TestBackend['db'], 'query'>

export const batchFixture = {
  SX: '四方区批次测试街道',
  SY: '市北区批次测试街道',
  GX: '20000000-0000-4000-8000-0000000000b1',
  GY: '20000000-0000-4000-8000-0000000000b2',
  programme: '30000000-0000-4000-8000-0000000000b1',
  programmeName: '测试创业补贴',
} as const

/** Materials the fixture programme requires. */
export const FIXTURE_MATERIALS = [
  { key: 'id_card', name: '身份证正反面', kind: 'photo', required: true, max_files: 2, example: '', hint: '' },
  { key: 'licence', name: '营业执照', kind: 'photo_or_pdf', required: true, max_files: 1, example: '', hint: '' },
  { key: 'other', name: '其他材料', kind: 'photo_or_pdf', required: false, max_files: 3, example: '', hint: '' },
]

export async function setUpBatchFixture(db: Db): Promise<void> {
  const f = batchFixture
  await db.query(
    `insert into public.groups (id, name, district, invite_code, response_target_minutes) values
       ($1, '批次测试甲群', $3, 'BATCHX', 120), ($2, '批次测试乙群', $4, 'BATCHY', 120)`,
    [f.GX, f.GY, f.SX, f.SY],
  )
  await db.query(
    `insert into public.group_members (group_id, user_id, role) values
       ($1, $3, 'butler'), ($1, $4, 'butler'), ($1, $5, 'member'), ($2, $4, 'butler'), ($2, $6, 'member')`,
    [f.GX, f.GY, people.butler1, people.butler2, people.worker2, people.worker1],
  )
  await db.query(
    `insert into public.subsidy_programmes (id, code, name, summary, amount_rule, default_amount, max_amount, opens_on, eligibility, materials, sort_order)
     values ($1, 'batch_fixture', $2, '测试用', '每人10000元', 10000, 20000, date '2020-01-01', '[{"rule":"has_business"}]', $3, 99)`,
    [f.programme, f.programmeName, JSON.stringify(FIXTURE_MATERIALS)],
  )
}

export interface BatchSpec {
  street?: string
  /** First day of the month, YYYY-MM-01. */
  month: string
  status?: 'open' | 'locked' | 'filed' | 'closed'
  /** Minutes from now; default: 60 (open) or -60 (locked and later). */
  cutoffInMinutes?: number
  /** For a locked batch: minutes from now until the 公示 ends (default 5 days). */
  publicityInMinutes?: number
}

export async function makeBatch(db: Db, spec: BatchSpec): Promise<string> {
  const status = spec.status ?? 'open'
  const cutoff = spec.cutoffInMinutes ?? (status === 'open' ? 60 : -60)
  const publicity = spec.publicityInMinutes ?? 5 * 24 * 60
  const r = await db.query(
    `insert into public.application_batches (street, month, cutoff_at, status, locked_at, publicity_until, filed_at, closed_at)
     values ($1, $2::date, now() + make_interval(mins => $3), $4::public.batch_status,
             case when $4 <> 'open' then now() + make_interval(mins => $3) end,
             case when $4 <> 'open' then now() + make_interval(mins => $5) end,
             case when $4 in ('filed', 'closed') then now() end,
             case when $4 = 'closed' then now() end)
     returning id`,
    [spec.street ?? batchFixture.SX, spec.month, cutoff, status, publicity],
  )
  return String(r.rows[0].id)
}

export interface ApplicationSpec {
  batch: string | null
  /** Default: a new worker of the group. */
  applicant?: string
  group?: string
  street?: string
  status?: 'submitted' | 'under_review' | 'approved' | 'filed' | 'disbursed' | 'not_disbursed'
  realName?: string
  residentId?: string | null
  bankAccount?: string | null
  creditCode?: string | null
  creditCodeNeedsReview?: boolean
  amount?: number
  /** Material keys attached (default: every required one). */
  materials?: string[]
  reviewer?: string
  /** Seconds after now the decision is dated (orders the batch). */
  decidedOffsetSeconds?: number
}

let seq = 0

/** A new worker, member of `group` (one live application per person and programme: tests need many people). */
export async function makeWorker(db: Db, group: string, name = '测试职工'): Promise<string> {
  const r = await db.query(`insert into public.profiles (display_name, role) values ($1, 'worker') returning id`, [name])
  const id = String(r.rows[0].id)
  await db.query(`insert into public.group_members (group_id, user_id, role) values ($1, $2, 'member')`, [group, id])
  return id
}

export async function makeApplication(db: Db, spec: ApplicationSpec): Promise<string> {
  const status = spec.status ?? 'approved'
  const decided = ['approved', 'filed', 'disbursed', 'not_disbursed'].includes(status)
  const n = seq++
  const applicant = spec.applicant ?? (await makeWorker(db, spec.group ?? batchFixture.GX))
  const r = await db.query(
    `insert into public.applications (applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
       real_name, resident_id, phone, bank_name, bank_account, business_name, credit_code, credit_code_needs_review,
       registered_on, employees, requested_amount, approved_amount, reviewer_id, batch_id, submitted_at, decided_at)
     values ($1, $2, $3, $4, $5::public.application_status, 'v1', now(), $6, $7, '13800138000', '中国工商银行青岛分行', $8,
             $9, $10, $11, date '2025-10-01', 3, $12, $13, $14, $15, now() - interval '3 days',
             case when $16 then now() + make_interval(secs => $17) end)
     returning id`,
    [
      applicant,
      batchFixture.programme,
      spec.group ?? batchFixture.GX,
      spec.street ?? batchFixture.SX,
      status,
      spec.realName ?? '张三德',
      spec.residentId === undefined ? '11010519491231002X' : spec.residentId,
      spec.bankAccount === undefined ? '6222020200112233445' : spec.bankAccount,
      `青岛测试家政服务有限公司${n}`,
      spec.creditCode === undefined ? '91350100M000100Y43' : spec.creditCode,
      spec.creditCodeNeedsReview ?? false,
      spec.amount ?? 10000,
      decided ? (spec.amount ?? 10000) : null,
      spec.reviewer ?? people.butler1,
      spec.batch,
      decided,
      spec.decidedOffsetSeconds ?? n,
    ],
  )
  const id = String(r.rows[0].id)
  for (const key of spec.materials ?? FIXTURE_MATERIALS.filter((m) => m.required).map((m) => m.key)) {
    await db.query(
      `insert into public.application_materials (application_id, material_key, object_path, mime, size)
       values ($1, $2, $3, 'image/jpeg', 1000)`,
      [id, key, `${applicant}/${id}/${key}.jpg`],
    )
  }
  return id
}
