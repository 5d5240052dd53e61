/**
 * The monthly batch (集中申报) after the approvals, through supabase-js as the people who use it: the
 * minute job that locks batches at their cut-off and opens the 公示, the butlers' list and batch page,
 * the completeness check, the roster export and its audit row, filing, disbursement and closing, the
 * 公示 with masked names, objections and answers, and incubation-base visits. Approving while the batch
 * locks, with two connections, runs on PostgreSQL only.
 *
 * Streets of their own (tests/support/batches.ts): SX with butler1 and butler2, SY with butler2 alone.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { batchFixture as F, makeApplication, makeBatch, makeWorker, setUpBatchFixture } from '../support/batches'
import { people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'
import { count, failure, one } from '../support/question-desk'
import type { Json } from '../../src/services/supabase/database.types'

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  await setUpBatchFixture(be.db)
  data = await snapshotData(be)
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

const notes = (person: string, kind: string) =>
  be.db.query(`select title, body, link, payload from public.notifications where recipient_id = $1 and kind = $2 order by id`, [person, kind]).then((r) => r.rows)

async function batchRow(id: string) {
  return one<{ status: string; locked_at: string | null; publicity_until: string | null; filed_at: string | null; filed_by: string | null; closed_at: string | null }>(
    be, `select * from public.application_batches where id = $1`, [id])
}

async function statusOf(app: string) {
  return (await one<{ status: string }>(be, `select status from public.applications where id = $1`, [app])).status
}

/** A locked batch of SX whose 公示 is over, complete, with `n` approved applications. */
async function readyToFile(n = 2) {
  const batch = await makeBatch(be.db, { month: '2026-10-01', status: 'locked', publicityInMinutes: -10 })
  const apps = []
  for (let i = 0; i < n; i++) apps.push(await makeApplication(be.db, { batch, applicant: i === 0 ? people.worker2 : undefined }))
  return { batch, apps }
}

describe('the minute job', () => {
  it('locks an open batch once its cut-off has passed, opens a five-day 公示 and tells each applicant and the street\'s butlers', async () => {
    const due = await makeBatch(be.db, { month: '2026-11-01', cutoffInMinutes: -1 })
    const later = await makeBatch(be.db, { month: '2026-12-01', cutoffInMinutes: 60 })
    const app = await makeApplication(be.db, { batch: due, applicant: people.worker2, realName: '陈秀英' })
    await makeApplication(be.db, { batch: due, amount: 5000 })

    const res = await p.service.rpc('run_application_jobs')
    expect(res).toMatchObject({ error: null, data: 1 })
    const b = await batchRow(due)
    expect(b.status).toBe('locked')
    expect(new Date(b.publicity_until!).getTime() - new Date(b.locked_at!).getTime()).toBe(5 * 24 * 3600 * 1000)
    expect((await batchRow(later)).status).toBe('open')

    const mine = await notes(people.worker2, 'application_publicity')
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ title: '申报已进入公示', link: `/subpackages/apply/pages/detail/index?id=${app}` })
    expect(mine[0].body).toContain(`「${F.programmeName}」申报已核定10000.00元，随${F.SX}2026年11月批次进入公示，公示期至`)
    for (const butler of [people.butler1, people.butler2]) {
      const told = await notes(butler, 'batch_locked')
      expect(told).toHaveLength(1)
      expect(told[0].body).toContain('共2份申报，核定金额合计15000.00元')
      expect(told[0].link).toBe(`/subpackages/review/pages/batch/index?id=${due}`)
    }
    // The status of the applications does not change: they wait, approved, for the filing.
    expect(await statusOf(app)).toBe('approved')
  })

  it('running again locks nothing more and tells nobody twice', async () => {
    await makeBatch(be.db, { month: '2026-11-01', cutoffInMinutes: -1 })
    await makeApplication(be.db, { batch: (await one<{ id: string }>(be, `select id from public.application_batches where month = '2026-11-01'`)).id, applicant: people.worker2 })
    expect((await p.service.rpc('run_application_jobs')).data).toBe(1)
    expect((await p.service.rpc('run_application_jobs')).data).toBe(0)
    expect(await notes(people.worker2, 'application_publicity')).toHaveLength(1)
  })

  it('the local scheduler runs it every round, as pg_cron does', async () => {
    const { runApplicationJobs } = await import('../../supabase/local/scheduler')
    const due = await makeBatch(be.db, { month: '2026-11-01', cutoffInMinutes: -1 })
    expect(await runApplicationJobs(be.db)).toBe(1)
    expect((await batchRow(due)).status).toBe('locked')
  })

  it('nobody but the service role may run it', async () => {
    for (const who of ['workerB', 'butlerX', 'admin'] as const) {
      expect(failure(await p[who].rpc('run_application_jobs'))).toEqual({ status: 403, code: '42501', message: 'permission denied for function run_application_jobs' })
    }
  })
})

describe('the butlers\' batches', () => {
  it('each butler lists the batches of their streets with counts; admins all; workers none', async () => {
    const x = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const y = await makeBatch(be.db, { street: F.SY, month: '2026-11-01' })
    await makeApplication(be.db, { batch: x, amount: 8000 })
    await makeApplication(be.db, { batch: x, amount: 2000 })
    await makeApplication(be.db, { batch: y, group: F.GY, street: F.SY })
    await be.db.query(`insert into public.batch_objections (batch_id, raised_by, body) values ($1, $2, '这个名单有问题请核实')`, [x, people.worker1])

    const ids = (rows: { id: string }[] | null) => (rows ?? []).map((r) => r.id).filter((id) => [x, y].includes(id)).sort()
    const b1 = await p.butlerX.rpc('application_batches_for_me')
    expect(b1.error).toBeNull()
    expect(ids(b1.data)).toEqual([x])
    expect(b1.data!.find((r) => r.id === x)).toMatchObject({ street: F.SX, month: '2026-11-01', status: 'locked', applications: 2, approved_total: 10000, settled: 0, objections_open: 1 })
    expect(ids((await p.butlerY.rpc('application_batches_for_me')).data)).toEqual([x, y].sort())
    expect(ids((await p.admin.rpc('application_batches_for_me')).data)).toEqual([x, y].sort())
    expect(failure(await p.workerB.rpc('application_batches_for_me'))).toEqual({ status: 403, code: '42501', message: '只有创业管家可以查看申报批次' })
  })

  it('the batch page lists its applications in the order they joined, masked, a page at a time', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const apps: string[] = []
    for (let i = 0; i < 5; i++) apps.push(await makeApplication(be.db, { batch, decidedOffsetSeconds: i, realName: i === 0 ? '张三德' : '李四' }))
    const first = await p.butlerX.rpc('batch_applications', { batch_id: batch, max_rows: 3 })
    expect(first.error).toBeNull()
    expect(first.data!.map((r) => r.id)).toEqual(apps.slice(0, 3))
    expect(first.data![0]).toMatchObject({
      real_name: '张三德', real_name_masked: '张*德', resident_id_masked: '1101**********002X', bank_account_masked: '****3445',
      programme_name: F.programmeName, status: 'approved', approved_amount: 10000, reviewer_name: '李管家',
    })
    expect(first.data![0]).not.toHaveProperty('resident_id')
    expect(first.data![0]).not.toHaveProperty('bank_account')
    const next = await p.butlerX.rpc('batch_applications', { batch_id: batch, max_rows: 3, after_id: apps[2] })
    expect(next.data!.map((r) => r.id)).toEqual(apps.slice(3))
    expect((await p.butlerX.rpc('batch_applications', { batch_id: batch, status_filter: 'filed' })).data).toEqual([])
  })

  it('another street\'s butler does not find the batch; a worker is refused', async () => {
    const y = await makeBatch(be.db, { street: F.SY, month: '2026-11-01' })
    expect(failure(await p.butlerX.rpc('batch_applications', { batch_id: y }))).toEqual({ status: 500, code: 'P0002', message: '找不到该申报批次' })
    expect(failure(await p.workerA.rpc('batch_applications', { batch_id: y }))).toEqual({ status: 403, code: '42501', message: '只有创业管家可以查看申报批次' })
  })
})

describe('completeness', () => {
  it('lists missing materials, a missing bank account and a flagged credit code, per application', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const ok = await makeApplication(be.db, { batch })
    const noLicence = await makeApplication(be.db, { batch, materials: ['id_card'] })
    const noBank = await makeApplication(be.db, { batch, bankAccount: null })
    const flagged = await makeApplication(be.db, { batch, creditCode: '91350100M000100Y44', creditCodeNeedsReview: true })
    const res = await p.butlerX.rpc('batch_completeness', { batch_id: batch })
    expect(res.error).toBeNull()
    expect(res.data).toEqual([
      { application_id: noLicence, problem: '缺少材料：营业执照' },
      { application_id: noBank, problem: '缺少银行账号' },
      { application_id: flagged, problem: '统一社会信用代码未通过校验，请人工核对后确认' },
    ])
    expect(res.data!.some((r) => r.application_id === ok)).toBe(false)
  })

  it('a butler confirms a flagged credit code by hand: the flag clears, with a history row', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const flagged = await makeApplication(be.db, { batch, creditCodeNeedsReview: true })
    const res = await p.butlerY.rpc('confirm_credit_code', { application_id: flagged })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: flagged, credit_code_needs_review: false, resident_id: null, bank_account: null })
    expect((await p.butlerY.rpc('batch_completeness', { batch_id: batch })).data).toEqual([])
    const ev = await one<{ from_status: string; to_status: string; note: string; actor_id: string }>(
      be, `select * from public.application_events where application_id = $1 order by id desc limit 1`, [flagged])
    expect(ev).toMatchObject({ from_status: 'approved', to_status: 'approved', note: '已人工核对统一社会信用代码', actor_id: people.butler2 })
  })
})

describe('the roster export', () => {
  it('is refused while the batch is open', async () => {
    const batch = await makeBatch(be.db, { month: '2026-12-01' })
    expect(failure(await p.butlerX.rpc('batch_export_rows', { batch_id: batch }))).toEqual({ status: 400, code: 'P0001', message: '该批次尚未截止，截止后才能导出名册' })
    expect(await count(be, `select 1 from public.batch_exports where batch_id = $1`, [batch])).toBe(0)
  })

  it('gives the full rows in order with 序号 and 经办人, and records each export', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    await makeApplication(be.db, { batch, realName: '张三德', decidedOffsetSeconds: 1, amount: 12000 })
    await makeApplication(be.db, { batch, realName: '王五', decidedOffsetSeconds: 2, reviewer: people.butler2 })
    const res = await p.butlerX.rpc('batch_export_rows', { batch_id: batch })
    expect(res.error).toBeNull()
    expect(res.data).toEqual([
      expect.objectContaining({ seq: 1, real_name: '张三德', resident_id: '11010519491231002X', phone: '13800138000', credit_code: '91350100M000100Y43', programme_name: F.programmeName, requested_amount: 12000, approved_amount: 12000, handler: '李管家' }),
      expect.objectContaining({ seq: 2, real_name: '王五', handler: '张管家' }),
    ])
    const doc = await p.admin.rpc('batch_export', { batch_id: batch })
    expect(doc.error).toBeNull()
    expect(doc.data).toMatchObject({ batch_id: batch, street: F.SX, month: '2026-11-01', status: 'locked' })
    expect((doc.data as { rows: unknown[] }).rows).toHaveLength(2)
    const audit = await be.db.query(`select actor_id, rows from public.batch_exports where batch_id = $1 order by id`, [batch])
    expect(audit.rows).toEqual([{ actor_id: people.butler1, rows: 2 }, { actor_id: people.admin, rows: 2 }])
    // The street's butlers read the audit of their batch.
    expect((await p.butlerY.from('batch_exports').select('actor_id').eq('batch_id', batch)).data).toHaveLength(2)
  })
})

describe('filing', () => {
  it('is refused while the 公示 runs', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked', publicityInMinutes: 60 })
    await makeApplication(be.db, { batch })
    const res = failure(await p.butlerX.rpc('mark_batch_filed', { batch_id: batch }))
    expect(res).toMatchObject({ status: 400, code: 'P0001' })
    expect(res.message).toMatch(/^公示期至\d+月\d+日 \d\d:\d\d结束，公示结束后才能标记已申报$/)
    expect((await batchRow(batch)).status).toBe('locked')
  })

  it('is refused while an objection waits for its answer, and while completeness problems remain', async () => {
    const { batch, apps } = await readyToFile()
    await be.db.query(`insert into public.batch_objections (batch_id, raised_by, body) values ($1, $2, '名单里有人不符合条件')`, [batch, people.worker1])
    expect(failure(await p.butlerX.rpc('mark_batch_filed', { batch_id: batch }))).toEqual({ status: 400, code: 'P0001', message: '还有1条公示异议未答复，请先答复' })
    await be.db.query(`update public.batch_objections set answer = '已核实', answered_at = now(), answered_by = $2 where batch_id = $1`, [batch, people.butler1])
    await be.db.query(`delete from public.application_materials where application_id = $1 and material_key = 'licence'`, [apps[1]])
    expect(failure(await p.butlerX.rpc('mark_batch_filed', { batch_id: batch }))).toEqual({ status: 400, code: 'P0001', message: '完整性检查还有1个问题未解决，请先处理' })
    expect(await statusOf(apps[0])).toBe('approved')
  })

  it('files the batch and each application in it, with a history row and a message to each applicant', async () => {
    const { batch, apps } = await readyToFile()
    const res = await p.butlerX.rpc('mark_batch_filed', { batch_id: batch })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: batch, status: 'filed', filed_by: people.butler1 })
    for (const app of apps) expect(await statusOf(app)).toBe('filed')
    const ev = await one(be, `select actor_id, from_status, to_status, note from public.application_events where application_id = $1`, [apps[0]])
    expect(ev).toEqual({ actor_id: people.butler1, from_status: 'approved', to_status: 'filed', note: `已随${F.SX}2026年10月批次报送人社局` })
    const told = await notes(people.worker2, 'application_status')
    expect(told).toHaveLength(1)
    expect(told[0]).toMatchObject({ title: '申报已报送人社局', link: `/subpackages/apply/pages/detail/index?id=${apps[0]}` })
    expect(failure(await p.butlerY.rpc('mark_batch_filed', { batch_id: batch }))).toEqual({ status: 400, code: 'P0001', message: '该批次已标记为已申报' })
  })

  it('an open batch cannot be filed, and another street\'s butler does not find it', async () => {
    const open = await makeBatch(be.db, { month: '2026-12-01' })
    expect(failure(await p.butlerX.rpc('mark_batch_filed', { batch_id: open }))).toEqual({ status: 400, code: 'P0001', message: '该批次尚未截止，截止并公示结束后才能标记已申报' })
    const y = await makeBatch(be.db, { street: F.SY, month: '2026-10-01', status: 'locked', publicityInMinutes: -10 })
    expect(failure(await p.butlerX.rpc('mark_batch_filed', { batch_id: y }))).toEqual({ status: 500, code: 'P0002', message: '找不到该申报批次' })
  })
})

describe('disbursement', () => {
  it('marks each filed application disbursed or not (with a reason); the last one settled closes the batch', async () => {
    const { batch, apps } = await readyToFile()
    expect(failure(await p.butlerX.rpc('mark_application_disbursed', { application_id: apps[0], disbursed: true }))).toEqual({
      status: 400, code: 'P0001', message: '该申报尚未报送人社局，报送后才能标记发放结果' })
    expect((await p.butlerX.rpc('mark_batch_filed', { batch_id: batch })).error).toBeNull()

    const bad = await p.butlerX.rpc('mark_application_disbursed', { application_id: apps[1], disbursed: false, note: '' })
    expect(failure(bad)).toEqual({ status: 400, code: '22023', message: '未发放时请写明原因（至少2个字）' })

    const paid = await p.butlerX.rpc('mark_application_disbursed', { application_id: apps[0], disbursed: true })
    expect(paid.error).toBeNull()
    expect(paid.data).toMatchObject({ status: 'disbursed', resident_id: null })
    expect((await batchRow(batch)).status).toBe('filed')
    const told = await notes(people.worker2, 'application_status')
    expect(told.map((n) => n.title)).toEqual(['申报已报送人社局', '补贴已发放'])

    const unpaid = await p.butlerY.rpc('mark_application_disbursed', { application_id: apps[1], disbursed: false, note: '银行账户已销户' })
    expect(unpaid.data).toMatchObject({ status: 'not_disbursed', disburse_note: '银行账户已销户', disbursed_at: null })
    const b = await batchRow(batch)
    expect(b.status).toBe('closed')
    expect(b.closed_at).not.toBeNull()
    expect(failure(await p.butlerX.rpc('mark_application_disbursed', { application_id: apps[0], disbursed: false, note: '重复' }))).toEqual({
      status: 400, code: 'P0001', message: '该申报已标记发放结果' })
  })
})

describe('公示', () => {
  it('everyone signed in lists the batches in 公示 and reads masked names and amounts, nothing else', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const open = await makeBatch(be.db, { month: '2026-12-01' })
    const app = await makeApplication(be.db, { batch, realName: '张三德' })
    await makeApplication(be.db, { batch, realName: '李四' })
    const list = await p.workerA.rpc('publicity_batches')
    expect(list.error).toBeNull()
    expect(list.data!.map((b) => b.id)).toContain(batch)
    expect(list.data!.map((b) => b.id)).not.toContain(open)
    expect(list.data!.find((b) => b.id === batch)).toMatchObject({ street: F.SX, objections_open: true, applications: 2, approved_total: 20000 })
    const names = await p.workerA.rpc('publicity_list', { batch_id: batch })
    expect(names.error).toBeNull()
    expect(names.data![0]).toEqual({ application_id: app, masked_name: '张*德', programme_name: F.programmeName, approved_amount: 10000 })
    expect(names.data!.map((r) => r.masked_name)).toEqual(['张*德', '李*'])
    expect(failure(await p.workerA.rpc('publicity_list', { batch_id: open }))).toEqual({ status: 500, code: 'P0002', message: '找不到该公示' })
  })

  it('an objection within the window reaches the street\'s butlers, who answer it; the raiser is told', async () => {
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const app = await makeApplication(be.db, { batch, realName: '张三德' })
    const raised = await p.workerA.rpc('raise_objection', { batch_id: batch, application_id: app, body: '此人并未实际经营该企业。' })
    expect(raised.error).toBeNull()
    expect(raised.data).toMatchObject({ batch_id: batch, application_id: app, raised_by: people.worker1, answer: null })
    const told = await notes(people.butler2, 'batch_objection')
    expect(told).toHaveLength(1)
    expect(told[0].body).toContain('（关于张*德的测试创业补贴）：此人并未实际经营该企业。')

    // The raiser reads their own; the street's butlers read all of the batch; another worker none.
    expect((await p.workerA.from('batch_objections').select('id')).data).toHaveLength(1)
    expect((await p.workerB.from('batch_objections').select('id')).data).toHaveLength(0)

    const id = (raised.data as { id: string }).id
    expect(failure(await p.workerA.rpc('answer_objection', { objection_id: id, answer: '我自己答复' }))).toEqual({ status: 403, code: '42501', message: '只有创业管家可以处理申报批次' })
    const answered = await p.butlerX.rpc('answer_objection', { objection_id: id, answer: '经核实，该企业由本人经营，符合条件。' })
    expect(answered.error).toBeNull()
    expect(answered.data).toMatchObject({ answered_by: people.butler1, answer: '经核实，该企业由本人经营，符合条件。' })
    expect(await notes(people.worker1, 'objection_answered')).toEqual([
      expect.objectContaining({ title: '您的公示异议已答复', link: `/subpackages/apply/pages/publicity/index?batch=${batch}` }),
    ])
    expect(failure(await p.butlerY.rpc('answer_objection', { objection_id: id, answer: '再答一次' }))).toEqual({ status: 400, code: 'P0001', message: '该异议已答复' })
  })

  it('an objection after the window, too short, about an application not listed, or too often is refused and nothing is saved', async () => {
    const over = await makeBatch(be.db, { month: '2026-10-01', status: 'locked', publicityInMinutes: -1 })
    const batch = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
    const elsewhere = await makeApplication(be.db, { batch: over })
    expect(failure(await p.workerA.rpc('raise_objection', { batch_id: over, body: '公示结束后才看到。' }))).toEqual({
      status: 400, code: 'P0001', message: '公示期已结束，不能再提出异议' })
    expect(failure(await p.workerA.rpc('raise_objection', { batch_id: batch, body: '太短' }))).toEqual({
      status: 400, code: '22023', message: '异议内容应为5到500个字' })
    expect(failure(await p.workerA.rpc('raise_objection', { batch_id: batch, body: 'x'.repeat(501) }))).toEqual({
      status: 400, code: '22023', message: '异议内容应为5到500个字' })
    expect(failure(await p.workerA.rpc('raise_objection', { batch_id: batch, application_id: elsewhere, body: '这份申报有问题。' }))).toEqual({
      status: 400, code: '22023', message: '该申报不在本次公示名单中' })
    expect(await count(be, `select 1 from public.batch_objections`)).toBe(0)
    for (let i = 0; i < 3; i++) expect((await p.workerA.rpc('raise_objection', { batch_id: batch, body: `第${i + 1}条异议内容` })).error).toBeNull()
    expect(failure(await p.workerA.rpc('raise_objection', { batch_id: batch, body: '第四条异议内容' }))).toEqual({
      status: 400, code: 'P0001', message: '提出异议太频繁，请稍后再试' })
    expect(await count(be, `select 1 from public.batch_objections`)).toBe(3)
  })
})

describe('incubation-base visits', () => {
  it('a butler logs a visit with the id the app chose; saving again updates the same visit', async () => {
    const id = randomUUID()
    const first = await p.butlerX.rpc('save_visit', { visit_id: id, fields: { street: F.SX, base_name: '青岛创业孵化基地', visited_on: '2026-11-20', people_met: '基地负责人王经理', notes: '了解入驻企业用工情况。' } })
    expect(first.error).toBeNull()
    expect(first.data).toMatchObject({ id, butler_id: people.butler1, street: F.SX, base_name: '青岛创业孵化基地', visited_on: '2026-11-20', photo_paths: [] })
    const again = await p.butlerX.rpc('save_visit', { visit_id: id, fields: { notes: '补充：有3家企业有意申报带动就业补贴。' } })
    expect(again.data).toMatchObject({ id, base_name: '青岛创业孵化基地', notes: '补充：有3家企业有意申报带动就业补贴。' })
    expect(await count(be, `select 1 from public.incubation_visits`)).toBe(1)
    // butler1 looks after two streets here (SX and the seeded 兴隆路), so a new visit must name one.
    const implied = await p.butlerX.rpc('save_visit', { visit_id: randomUUID(), fields: { base_name: '四方区众创空间', visited_on: '2026-11-21' } })
    expect(failure(implied)).toEqual({ status: 400, code: '22023', message: '请选择走访的街道' })
  })

  it('bad input is refused in Chinese with the field, and nothing is saved', async () => {
    const future = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 10)
    const cases: [Record<string, unknown>, string, string][] = [
      [{ street: F.SX, base_name: '基地', visited_on: future }, '走访日期不能晚于今天', 'visited_on'],
      [{ street: F.SX, base_name: '基地', visited_on: '2026-13-45' }, '走访日期格式不正确', 'visited_on'],
      [{ street: F.SX, base_name: '基', visited_on: '2026-11-20' }, '孵化基地名称应为2到60个字', 'base_name'],
      [{ street: F.SY, base_name: '基地', visited_on: '2026-11-20' }, '只能记录您负责的街道的走访', 'street'],
      [{ street: F.SX, base_name: '基地', visited_on: '2026-11-20', photo_paths: ['someone/else.jpg'] }, '照片应上传到本次走访的文件夹', 'photo_paths'],
      [{ street: F.SX, base_name: '基地', visited_on: '2026-11-20', notes: 'x'.repeat(4001) }, '走访情况不能超过4000字', 'notes'],
      [{ street: F.SX, base_name: '基地', visited_on: '2026-11-20', owner: 'me' }, '走访记录没有这一项：owner', 'owner'],
    ]
    for (const [fields, message, hint] of cases) {
      const res = await p.butlerX.rpc('save_visit', { visit_id: randomUUID(), fields: fields as Json })
      expect(failure(res)).toEqual({ status: 400, code: '22023', message })
      expect((res.error as { hint?: string }).hint).toBe(hint)
    }
    expect(await count(be, `select 1 from public.incubation_visits`)).toBe(0)
  })

  it('only its butler changes a visit; another butler of the street reads it, another street\'s does not', async () => {
    const id = randomUUID()
    await p.butlerY.rpc('save_visit', { visit_id: id, fields: { street: F.SY, base_name: '市北区孵化基地', visited_on: '2026-11-20' } })
    expect(failure(await p.butlerX.rpc('save_visit', { visit_id: id, fields: { notes: '改一下' } }))).toEqual({ status: 500, code: 'P0002', message: '找不到该走访记录' })
    const sx = randomUUID()
    await p.butlerX.rpc('save_visit', { visit_id: sx, fields: { street: F.SX, base_name: '兴隆孵化基地', visited_on: '2026-11-20' } })
    expect(failure(await p.butlerY.rpc('save_visit', { visit_id: sx, fields: { notes: '改一下' } }))).toEqual({ status: 403, code: '42501', message: '只能修改自己的走访记录' })
    expect((await p.butlerY.from('incubation_visits').select('id')).data!.map((r) => r.id).sort()).toEqual([id, sx].sort())
    expect((await p.butlerX.from('incubation_visits').select('id')).data!.map((r) => r.id)).toEqual([sx])
    expect(failure(await p.workerB.rpc('save_visit', { visit_id: randomUUID(), fields: { base_name: '某基地', visited_on: '2026-11-20' } }))).toEqual({
      status: 403, code: '42501', message: '只有创业管家可以记录走访' })
  })

  it('links and unlinks applications of the visit\'s street the butler reviews', async () => {
    const visit = randomUUID()
    await p.butlerX.rpc('save_visit', { visit_id: visit, fields: { street: F.SX, base_name: '兴隆孵化基地', visited_on: '2026-11-20' } })
    const app = await makeApplication(be.db, { batch: null, status: 'submitted' })
    const other = await makeApplication(be.db, { batch: null, status: 'submitted', group: F.GY, street: F.SY, applicant: await makeWorker(be.db, F.GY) })
    expect(await p.butlerX.rpc('link_visit_application', { visit_id: visit, application_id: app, linked: true })).toMatchObject({ error: null, data: true })
    expect(await p.butlerX.rpc('link_visit_application', { visit_id: visit, application_id: app, linked: true })).toMatchObject({ error: null, data: true })
    expect((await p.butlerY.from('visit_applications').select('application_id').eq('visit_id', visit)).data).toEqual([{ application_id: app }])
    expect(failure(await p.butlerX.rpc('link_visit_application', { visit_id: visit, application_id: other, linked: true }))).toEqual({
      status: 500, code: 'P0002', message: '找不到这份申报' })
    expect(await p.butlerX.rpc('link_visit_application', { visit_id: visit, application_id: app, linked: false })).toMatchObject({ error: null, data: false })
    expect(await count(be, `select 1 from public.visit_applications`)).toBe(0)
  })
})

// ---------------------------------------------------------------------------------------------------
// approving while the batch locks (PostgreSQL: two connections; PGlite has one)
// ---------------------------------------------------------------------------------------------------

describe.runIf(Boolean(process.env.DATABASE_URL) && !process.env.SUPABASE_URL)('approving while the batch locks', () => {
  type Step = { sub: string | null; sql: string; params: unknown[] }

  async function currentDatabaseUrl() {
    const r = await one<{ db: string }>(be, `select current_database() as db`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${r.db}`
    return url.toString()
  }

  /**
   * Runs `first` in a transaction (as its person, or as the system when sub is null) and holds it open,
   * starts `second` on another connection, which must wait for a lock, then commits `first` and returns
   * what `second` ended with.
   */
  async function race(first: Step, second: Step) {
    const url = await currentDatabaseUrl()
    const a = new pg.Client({ connectionString: url })
    const b = new pg.Client({ connectionString: url })
    await a.connect()
    await b.connect()
    const as = async (c: pg.Client, sub: string | null) => {
      await c.query('begin')
      if (sub) await c.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`, [JSON.stringify({ sub, role: 'authenticated' })])
    }
    try {
      await as(a, first.sub)
      await a.query(first.sql, first.params)
      await as(b, second.sub)
      const pending = b.query(second.sql, second.params).then(
        async () => {
          await b.query('commit')
          return 'ok'
        },
        async (e: { code: string; message: string }) => {
          await b.query('rollback')
          return `${e.code} ${e.message}`
        },
      )
      let waiting = 0
      for (let i = 0; i < 40 && waiting === 0; i++) {
        const r = await be.db.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)
        waiting = Number(r.rows[0]!.n)
        if (waiting === 0) await new Promise((r) => setTimeout(r, 50))
      }
      expect(waiting, 'the second waits for the first\'s lock').toBe(1)
      await a.query('commit')
      return await pending
    } finally {
      await a.end()
      await b.end()
    }
  }

  /** This month's open SX batch (cut-off in an hour) and a submitted application of GX waiting for approval. */
  async function setUp() {
    const month = (await one<{ m: string }>(be, `select to_char(date_trunc('month', now() at time zone 'Asia/Shanghai'), 'YYYY-MM-DD') as m`)).m
    const batch = await makeBatch(be.db, { month, cutoffInMinutes: 60 })
    const app = await makeApplication(be.db, { batch: null, status: 'submitted', applicant: people.worker2 })
    return { batch, app }
  }
  // The job as the clock strikes the cut-off: run with a time past it.
  const job: Step = { sub: null, sql: `select private.run_application_jobs(now() + interval '2 hours')`, params: [] }
  const approve = (app: string): Step => ({ sub: people.butler1, sql: `select public.approve_application($1, 9000, '')`, params: [app] })

  it('the job locks first: the approval waits, sees the batch locked and joins next month\'s open batch', async () => {
    const { batch, app } = await setUp()
    expect(await race(job, approve(app))).toBe('ok')
    const a = await one<{ status: string; batch_id: string }>(be, `select status, batch_id from public.applications where id = $1`, [app])
    expect(a.status).toBe('approved')
    expect(a.batch_id).not.toBe(batch)
    expect((await batchRow(a.batch_id)).status).toBe('open')
    expect((await batchRow(batch)).status).toBe('locked')
    expect(await count(be, `select 1 from public.applications where batch_id = $1`, [batch])).toBe(0)
    expect(await notes(people.worker2, 'application_publicity')).toHaveLength(0)
  })

  it('the approval commits first: the job waits, then locks the batch with the application in it and tells the applicant', async () => {
    const { batch, app } = await setUp()
    expect(await race(approve(app), job)).toBe('ok')
    const a = await one<{ status: string; batch_id: string }>(be, `select status, batch_id from public.applications where id = $1`, [app])
    expect(a).toEqual({ status: 'approved', batch_id: batch })
    expect((await batchRow(batch)).status).toBe('locked')
    expect(await notes(people.worker2, 'application_publicity')).toHaveLength(1)
  })
})
