/**
 * The access matrix of the monthly batch, the 公示 and the visits: every persona × select / insert /
 * update / delete of batch_exports, batch_objections, incubation_visits and visit_applications, the
 * forged state changes a client might try on batches and applications, and every batch RPC, through
 * supabase-js against the local backend. Read a cell as in access-matrix.test.ts:
 *   sees(…) rows shown · ONE one row changed · OK call succeeds · DENY / DENY_ANON no privilege
 *   (403 / 401) · err(…) that exact error. Every refused or read-only cell also checks that no row
 * anywhere changed. After the matrix: objections outside the window, huge bodies, and the visit-photos
 * bucket.
 *
 * Streets of their own (tests/support/batches.ts): SX with butlerX and butlerY as butlers and workerB a
 * member; SY with butlerY alone and workerA a member. So butlerX is "the other street's butler" for SY.
 *   bx  SX's locked batch, 公示 open; ax its application (workerB); ox an objection on it by workerA
 *   by  SY's locked batch; ay its application (workerA); oy an objection on it by workerB
 *   bOver SX's batch whose 公示 is over
 *   vx  butlerX's visit in SX, linked to ax; vy butlerY's visit in SY, linked to ay
 * Exports: one of bx by butlerX.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DENY, DENY_ANON, describeMatrix, err, labeller, OK, ONE, sees, type ActionProbe, type MatrixRow } from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { batchFixture as F, makeApplication, makeBatch, setUpBatchFixture } from '../support/batches'
import { people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'
import { failure } from '../support/question-desk'
import { jpegFile } from '../support/sample-files'

const ids = {
  bx: '', by: '', bOver: '', ax: '', ay: '',
  ox: '72000000-0000-4000-8000-0000000000b1',
  oy: '72000000-0000-4000-8000-0000000000b2',
  vx: '73000000-0000-4000-8000-0000000000b1',
  vy: '73000000-0000-4000-8000-0000000000b2',
  newVisit: '73000000-0000-4000-8000-0000000000b9',
}
const label = (id: unknown) => labeller(ids)(id)

// ---------------------------------------------------------------------------------------------------
// expectations
// ---------------------------------------------------------------------------------------------------

// The service role acts for the system, never as a person: the RPCs find nobody signed in.
const SIGN_IN = err(403, '42501', '请先登录')
const STAFF_LIST = err(403, '42501', '只有创业管家可以查看申报批次')
const STAFF = err(403, '42501', '只有创业管家可以处理申报批次')
const NO_BATCH = err(500, 'P0002', '找不到该申报批次')
const NO_APP = err(500, 'P0002', '找不到这份申报')
const VISIT_STAFF = err(403, '42501', '只有创业管家可以记录走访')
const LINK_STAFF = err(403, '42501', '只有创业管家可以关联走访')
const NOT_OWN_VISIT = err(403, '42501', '只能修改自己的走访记录')
const PUBLICITY_RUNS = err(400, 'P0001', /^公示期至\d+月\d+日 \d\d:\d\d结束，公示结束后才能标记已申报$/)
const NOT_FILED = err(400, 'P0001', '该申报尚未报送人社局，报送后才能标记发放结果')
const WINDOW_OVER = err(400, 'P0001', '公示期已结束，不能再提出异议')
const DISBURSE_STAFF = err(403, '42501', '只有创业管家可以标记发放结果')

const probes = {
  // exports -------------------------------------------------------------------------------------------
  'batch_exports: select': {
    object: 'table batch_exports', action: 'select', rowLabel: (r) => label(r.batch_id),
    run: (c) => c.from('batch_exports').select('batch_id'),
  },
  'batch_exports: insert a forged export': {
    object: 'table batch_exports', action: 'insert',
    run: (c) => c.from('batch_exports').insert({ batch_id: ids.bx, actor_id: people.worker1, rows: 0 }, { count: 'exact' }),
  },
  'batch_exports: update the row count': {
    object: 'table batch_exports', action: 'update',
    run: (c) => c.from('batch_exports').update({ rows: 0 }, { count: 'exact' }).eq('batch_id', ids.bx),
  },
  'batch_exports: delete the audit': {
    object: 'table batch_exports', action: 'delete',
    run: (c) => c.from('batch_exports').delete({ count: 'exact' }).eq('batch_id', ids.bx),
  },

  // objections ----------------------------------------------------------------------------------------
  'batch_objections: select': {
    object: 'table batch_objections', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('batch_objections').select('id'),
  },
  'batch_objections: insert an objection directly': {
    object: 'table batch_objections', action: 'insert',
    run: (c) => c.from('batch_objections').insert({ batch_id: ids.bx, raised_by: people.worker1, body: '直接写入的异议' }, { count: 'exact' }),
  },
  'batch_objections: update ox with a forged answer': {
    object: 'table batch_objections', action: 'update',
    run: (c) => c.from('batch_objections').update({ answer: '已核实', answered_at: new Date().toISOString() }, { count: 'exact' }).eq('id', ids.ox),
  },
  'batch_objections: delete ox': {
    object: 'table batch_objections', action: 'delete',
    run: (c) => c.from('batch_objections').delete({ count: 'exact' }).eq('id', ids.ox),
  },

  // visits --------------------------------------------------------------------------------------------
  'incubation_visits: select': {
    object: 'table incubation_visits', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('incubation_visits').select('id'),
  },
  'incubation_visits: insert a visit directly': {
    object: 'table incubation_visits', action: 'insert',
    run: (c) => c.from('incubation_visits').insert({ butler_id: people.butler1, street: F.SX, base_name: '直接写入', visited_on: '2026-11-01' }, { count: 'exact' }),
  },
  "incubation_visits: update vy's notes": {
    object: 'table incubation_visits', action: 'update',
    run: (c) => c.from('incubation_visits').update({ notes: '改写' }, { count: 'exact' }).eq('id', ids.vy),
  },
  'incubation_visits: delete vx': {
    object: 'table incubation_visits', action: 'delete',
    run: (c) => c.from('incubation_visits').delete({ count: 'exact' }).eq('id', ids.vx),
  },
  'visit_applications: select': {
    object: 'table visit_applications', action: 'select', rowLabel: (r) => label(r.visit_id),
    run: (c) => c.from('visit_applications').select('visit_id'),
  },
  'visit_applications: insert a link directly': {
    object: 'table visit_applications', action: 'insert',
    run: (c) => c.from('visit_applications').insert({ visit_id: ids.vy, application_id: ids.ax }, { count: 'exact' }),
  },
  'visit_applications: update a link': {
    object: 'table visit_applications', action: 'update',
    run: (c) => c.from('visit_applications').update({ application_id: ids.ay }, { count: 'exact' }).eq('visit_id', ids.vx),
  },
  'visit_applications: delete a link': {
    object: 'table visit_applications', action: 'delete',
    run: (c) => c.from('visit_applications').delete({ count: 'exact' }).eq('visit_id', ids.vx),
  },

  // forged state changes ------------------------------------------------------------------------------
  'application_batches: update bx to filed directly': {
    object: 'table application_batches', action: 'update',
    run: (c) => c.from('application_batches').update({ status: 'filed', filed_at: new Date().toISOString() }, { count: 'exact' }).eq('id', ids.bx),
  },
  'application_batches: update bx publicity_until to the past': {
    object: 'table application_batches', action: 'update',
    run: (c) => c.from('application_batches').update({ publicity_until: '2020-01-01T00:00:00Z' }, { count: 'exact' }).eq('id', ids.bx),
  },
  'applications: update ax to disbursed directly': {
    object: 'table applications', action: 'update',
    run: (c) => c.from('applications').update({ status: 'disbursed' }, { count: 'exact' }).eq('id', ids.ax),
  },

  // RPCs ----------------------------------------------------------------------------------------------
  'rpc: run_application_jobs()': { object: 'function run_application_jobs', action: 'call', run: (c) => c.rpc('run_application_jobs') },
  'rpc: application_batches_for_me()': { object: 'function application_batches_for_me', action: 'call', run: (c) => c.rpc('application_batches_for_me') },
  'rpc: batch_applications(by)': { object: 'function batch_applications', action: 'call', run: (c) => c.rpc('batch_applications', { batch_id: ids.by }) },
  'rpc: batch_completeness(bx)': { object: 'function batch_completeness', action: 'call', run: (c) => c.rpc('batch_completeness', { batch_id: ids.bx }) },
  'rpc: batch_export_rows(by)': { object: 'function batch_export_rows', action: 'call', run: (c) => c.rpc('batch_export_rows', { batch_id: ids.by }) },
  'rpc: batch_export(bx)': { object: 'function batch_export', action: 'call', run: (c) => c.rpc('batch_export', { batch_id: ids.bx }) },
  'rpc: mark_batch_filed(bx) during the 公示': { object: 'function mark_batch_filed', action: 'call', run: (c) => c.rpc('mark_batch_filed', { batch_id: ids.bx }) },
  'rpc: mark_application_disbursed(ax) before filing': {
    object: 'function mark_application_disbursed', action: 'call', run: (c) => c.rpc('mark_application_disbursed', { application_id: ids.ax, disbursed: true }),
  },
  'rpc: confirm_credit_code(ay)': { object: 'function confirm_credit_code', action: 'call', run: (c) => c.rpc('confirm_credit_code', { application_id: ids.ay }) },
  'rpc: publicity_batches()': { object: 'function publicity_batches', action: 'call', run: (c) => c.rpc('publicity_batches') },
  'rpc: publicity_list(bx)': { object: 'function publicity_list', action: 'call', run: (c) => c.rpc('publicity_list', { batch_id: ids.bx }) },
  'rpc: raise_objection(bx) within the window': {
    object: 'function raise_objection', action: 'call', run: (c) => c.rpc('raise_objection', { batch_id: ids.bx, application_id: ids.ax, body: '该申请人并未实际经营。' }),
  },
  'rpc: raise_objection(bOver) after the window': {
    object: 'function raise_objection', action: 'call', run: (c) => c.rpc('raise_objection', { batch_id: ids.bOver, body: '公示结束后才看到。' }),
  },
  'rpc: answer_objection(oy)': { object: 'function answer_objection', action: 'call', run: (c) => c.rpc('answer_objection', { objection_id: ids.oy, answer: '经核实符合条件。' }) },
  'rpc: save_visit(a new visit in SX)': {
    object: 'function save_visit', action: 'call',
    run: (c) => c.rpc('save_visit', { visit_id: ids.newVisit, fields: { street: F.SX, base_name: '新走访基地', visited_on: '2026-11-20' } }),
  },
  'rpc: save_visit(vx)': { object: 'function save_visit', action: 'call', run: (c) => c.rpc('save_visit', { visit_id: ids.vx, fields: { notes: '补充情况' } }) },
  'rpc: link_visit_application(vx, ax)': {
    object: 'function link_visit_application', action: 'call', run: (c) => c.rpc('link_visit_application', { visit_id: ids.vx, application_id: ids.ax, linked: false }),
  },
} satisfies Record<string, ActionProbe>

type Name = keyof typeof probes

// prettier-ignore
const matrix: MatrixRow<Name>[] = [
  //                                                      anon       workerA          workerB          butlerX          butlerY              admin                service
  ['batch_exports: select',                               DENY_ANON, sees(),          sees(),          sees('bx'),      sees('bx'),          sees('bx'),          sees('bx')],
  ['batch_exports: insert a forged export',               DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['batch_exports: update the row count',                 DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                DENY],
  ['batch_exports: delete the audit',                     DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                DENY],
  ['batch_objections: select',                            DENY_ANON, sees('ox'),      sees('oy'),      sees('ox'),      sees('ox', 'oy'),    sees('ox', 'oy'),    sees('ox', 'oy')],
  ['batch_objections: insert an objection directly',      DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['batch_objections: update ox with a forged answer',    DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['batch_objections: delete ox',                         DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['incubation_visits: select',                           DENY_ANON, sees(),          sees(),          sees('vx'),      sees('vx', 'vy'),    sees('vx', 'vy'),    sees('vx', 'vy')],
  ['incubation_visits: insert a visit directly',          DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ["incubation_visits: update vy's notes",                DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['incubation_visits: delete vx',                        DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['visit_applications: select',                          DENY_ANON, sees(),          sees(),          sees('vx'),      sees('vx', 'vy'),    sees('vx', 'vy'),    sees('vx', 'vy')],
  ['visit_applications: insert a link directly',          DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['visit_applications: update a link',                   DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['visit_applications: delete a link',                   DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['application_batches: update bx to filed directly',    DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['application_batches: update bx publicity_until to the past', DENY_ANON, DENY,     DENY,            DENY,            DENY,                DENY,                ONE],
  ['applications: update ax to disbursed directly',       DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                ONE],
  ['rpc: run_application_jobs()',                         DENY_ANON, DENY,            DENY,            DENY,            DENY,                DENY,                OK],
  ['rpc: application_batches_for_me()',                   DENY_ANON, STAFF_LIST,      STAFF_LIST,      OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: batch_applications(by)',                         DENY_ANON, STAFF_LIST,      STAFF_LIST,      NO_BATCH,        OK,                  OK,                  STAFF_LIST],
  ['rpc: batch_completeness(bx)',                         DENY_ANON, STAFF,           STAFF,           OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: batch_export_rows(by)',                          DENY_ANON, STAFF,           STAFF,           NO_BATCH,        OK,                  OK,                  SIGN_IN],
  ['rpc: batch_export(bx)',                               DENY_ANON, STAFF,           STAFF,           OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: mark_batch_filed(bx) during the 公示',            DENY_ANON, STAFF,           STAFF,           PUBLICITY_RUNS,  PUBLICITY_RUNS,      PUBLICITY_RUNS,      SIGN_IN],
  ['rpc: mark_application_disbursed(ax) before filing',   DENY_ANON, DISBURSE_STAFF,  DISBURSE_STAFF,  NOT_FILED,       NOT_FILED,           NOT_FILED,           SIGN_IN],
  ['rpc: confirm_credit_code(ay)',                        DENY_ANON, NO_APP,          NO_APP,          NO_APP,          OK,                  OK,                  SIGN_IN],
  ['rpc: publicity_batches()',                            DENY_ANON, OK,              OK,              OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: publicity_list(bx)',                             DENY_ANON, OK,              OK,              OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: raise_objection(bx) within the window',          DENY_ANON, OK,              OK,              OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: raise_objection(bOver) after the window',        DENY_ANON, WINDOW_OVER,     WINDOW_OVER,     WINDOW_OVER,     WINDOW_OVER,         WINDOW_OVER,         SIGN_IN],
  ['rpc: answer_objection(oy)',                           DENY_ANON, STAFF,           STAFF,           NO_BATCH,        OK,                  OK,                  SIGN_IN],
  ['rpc: save_visit(a new visit in SX)',                  DENY_ANON, VISIT_STAFF,     VISIT_STAFF,     OK,              OK,                  OK,                  SIGN_IN],
  ['rpc: save_visit(vx)',                                 DENY_ANON, VISIT_STAFF,     VISIT_STAFF,     OK,              NOT_OWN_VISIT,       NOT_OWN_VISIT,       SIGN_IN],
  ['rpc: link_visit_application(vx, ax)',                 DENY_ANON, LINK_STAFF,      LINK_STAFF,      OK,              NOT_OWN_VISIT,       NOT_OWN_VISIT,       SIGN_IN],
]

// ---------------------------------------------------------------------------------------------------
// running it
// ---------------------------------------------------------------------------------------------------

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  const db = be.db
  await setUpBatchFixture(db)
  ids.bx = await makeBatch(db, { month: '2026-11-01', status: 'locked' })
  ids.by = await makeBatch(db, { street: F.SY, month: '2026-11-01', status: 'locked' })
  ids.bOver = await makeBatch(db, { month: '2026-10-01', status: 'locked', publicityInMinutes: -10 })
  ids.ax = await makeApplication(db, { batch: ids.bx, applicant: people.worker2 })
  ids.ay = await makeApplication(db, { batch: ids.by, applicant: people.worker1, group: F.GY, street: F.SY, reviewer: people.butler2, creditCodeNeedsReview: true })
  await db.query(
    `insert into public.batch_objections (id, batch_id, application_id, raised_by, body) values
       ($1, $3, $5, $7, '这个申请人不符合条件'), ($2, $4, $6, $8, '名单里的金额不对')`,
    [ids.ox, ids.oy, ids.bx, ids.by, ids.ax, ids.ay, people.worker1, people.worker2],
  )
  await db.query(`insert into public.batch_exports (batch_id, actor_id, rows) values ($1, $2, 1)`, [ids.bx, people.butler1])
  await db.query(
    `insert into public.incubation_visits (id, butler_id, street, base_name, visited_on) values
       ($1, $3, $5, '兴隆孵化基地', date '2026-11-10'), ($2, $4, $6, '市北孵化基地', date '2026-11-11')`,
    [ids.vx, ids.vy, people.butler1, people.butler2, F.SX, F.SY],
  )
  await db.query(
    `insert into public.visit_applications (visit_id, application_id, linked_by) values ($1, $3, $5), ($2, $4, $6)`,
    [ids.vx, ids.vy, ids.ax, ids.ay, people.butler1, people.butler2],
  )
  data = await snapshotData(be)
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

describe('batch, 公示 and visit access matrix', () => {
  it('covers select, insert, update and delete of every table the batch adds, and every batch RPC', () => {
    const covered = new Set(matrix.map(([name]) => `${probes[name].object} ${probes[name].action}`))
    for (const table of ['batch_exports', 'batch_objections', 'incubation_visits', 'visit_applications']) {
      for (const action of ['select', 'insert', 'update', 'delete']) expect(covered).toContain(`table ${table} ${action}`)
    }
    for (const fn of ['run_application_jobs', 'application_batches_for_me', 'batch_applications', 'batch_completeness', 'batch_export_rows', 'batch_export',
      'mark_batch_filed', 'mark_application_disbursed', 'confirm_credit_code', 'publicity_batches', 'publicity_list', 'raise_objection',
      'answer_objection', 'save_visit', 'link_visit_application']) {
      expect(covered).toContain(`function ${fn} call`)
    }
    expect(new Set(matrix.map(([name]) => name)).size).toBe(Object.keys(probes).length)
  })

  describeMatrix(probes, matrix, () => ({ p, data }))
})

// ---------------------------------------------------------------------------------------------------
// beyond the matrix
// ---------------------------------------------------------------------------------------------------

describe('what a malicious person would try', () => {
  it('a worker reads nothing of the batch itself, only the 公示\'s masked names', async () => {
    expect((await p.workerB.from('application_batches').select('id').eq('id', ids.bx)).data).toEqual([])
    const list = await p.workerA.rpc('publicity_list', { batch_id: ids.bx })
    expect(list.data).toEqual([{ application_id: ids.ax, masked_name: '张*德', programme_name: F.programmeName, approved_amount: 10000 }])
  })

  it('an objection about an application of another batch is refused and nothing is saved', async () => {
    const res = await p.workerA.rpc('raise_objection', { batch_id: ids.bx, application_id: ids.ay, body: '这份申报有问题。' })
    expect(failure(res)).toEqual({ status: 400, code: '22023', message: '该申报不在本次公示名单中' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('huge bodies are refused in Chinese, or before they are read; nothing is saved', async () => {
    const long = await p.workerA.rpc('raise_objection', { batch_id: ids.bx, body: '异'.repeat(100_000) })
    expect(failure(long)).toEqual({ status: 400, code: '22023', message: '异议内容应为5到500个字' })
    const visit = await p.butlerX.rpc('save_visit', { visit_id: randomUUID(), fields: { street: F.SX, base_name: '基地', visited_on: '2026-11-20', notes: '记'.repeat(300_000) } })
    expect(failure(visit)).toEqual({ status: 400, code: '22023', message: '走访内容过长' })
    const answer = await p.butlerX.rpc('answer_objection', { objection_id: ids.ox, answer: '答'.repeat(100_000) })
    expect(failure(answer)).toEqual({ status: 400, code: '22023', message: '答复应为2到500个字' })
    const tooBig = await p.workerA.rpc('raise_objection', { batch_id: ids.bx, body: 'x'.repeat(6 * 1024 * 1024) })
    expect(tooBig.status).toBe(413)
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('a forged batch id, a batch of another street or a malformed id finds nothing', async () => {
    expect(failure(await p.butlerX.rpc('batch_export_rows', { batch_id: randomUUID() }))).toEqual({ status: 500, code: 'P0002', message: '找不到该申报批次' })
    expect((await p.butlerX.rpc('batch_export_rows', { batch_id: 'not-a-uuid' })).error?.code).toBe('22P02')
    expect(failure(await p.workerA.rpc('publicity_list', { batch_id: randomUUID() }))).toEqual({ status: 500, code: 'P0002', message: '找不到该公示' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})

describe('the visit-photos bucket', () => {
  const photo = (owner: string, visit: string) => `${owner}/${visit}/${randomUUID().slice(0, 8)}.jpg`
  const upload = (c: Personas[keyof Personas] & { storage: unknown }, name: string, upsert = false) =>
    (c as Personas['butlerX']).storage.from('visit-photos').upload(name, jpegFile(), { contentType: 'image/jpeg', upsert })
  const verify = async (name: string) =>
    be.db.query(
      `insert into private.verified_objects (object_id, version, bucket_id, name, owner_id, passed, kind)
       select id, version, bucket_id, name, owner_id, true, 'image/jpeg' from storage.objects where bucket_id = 'visit-photos' and name = $1`,
      [name],
    )

  it('the butler uploads into their own visit\'s folder; the street\'s other butler and admins read it, another street\'s butler and workers do not', async () => {
    const name = photo(people.butler1, ids.vx)
    expect((await upload(p.butlerX, name)).error).toBeNull()
    for (const who of ['butlerX', 'butlerY', 'admin'] as const) {
      const { data: signed, error } = await p[who].storage.from('visit-photos').createSignedUrl(name, 60)
      expect(error, who).toBeNull()
      expect(signed?.signedUrl).toContain('visit-photos')
    }
    for (const who of ['workerA', 'workerB'] as const) {
      expect((await p[who].storage.from('visit-photos').createSignedUrl(name, 60)).error, who).not.toBeNull()
    }
    // butlerY's SY visit: butlerX is not a butler of SY.
    const theirs = photo(people.butler2, ids.vy)
    expect((await upload(p.butlerY, theirs)).error).toBeNull()
    expect((await p.butlerX.storage.from('visit-photos').createSignedUrl(theirs, 60)).error).not.toBeNull()
    await data.restore()
  })

  it('nobody uploads into another butler\'s visit or folder, and workers not at all', async () => {
    expect((await upload(p.butlerY, photo(people.butler2, ids.vx))).error?.message).toMatch(/row-level security/)
    expect((await upload(p.butlerY, photo(people.butler1, ids.vx))).error?.message).toMatch(/row-level security/)
    expect((await upload(p.workerA, photo(people.worker1, randomUUID()))).error?.message).toMatch(/row-level security/)
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('a photo a saved visit shows can be neither replaced nor removed; once taken off the visit it can', async () => {
    const name = photo(people.butler1, ids.vx)
    expect((await upload(p.butlerX, name)).error).toBeNull()
    await verify(name)
    const saved = await p.butlerX.rpc('save_visit', { visit_id: ids.vx, fields: { photo_paths: [name] } })
    expect(saved.error).toBeNull()
    expect(saved.data).toMatchObject({ photo_paths: [name] })
    expect((await upload(p.butlerX, name, true)).error?.message).toMatch(/row-level security/)
    const removed = await p.butlerX.storage.from('visit-photos').remove([name])
    expect(removed.data).toEqual([])
    await p.butlerX.rpc('save_visit', { visit_id: ids.vx, fields: { photo_paths: [] } })
    expect((await p.butlerX.storage.from('visit-photos').remove([name])).data).toHaveLength(1)
    await data.restore()
  })

  it('an unverified photo cannot be put on a visit', async () => {
    const name = photo(people.butler1, ids.vx)
    expect((await upload(p.butlerX, name)).error).toBeNull()
    const res = await p.butlerX.rpc('save_visit', { visit_id: ids.vx, fields: { photo_paths: [name] } })
    expect(failure(res)).toEqual({ status: 400, code: '22023', message: '照片未上传完成或未通过检查，请重新上传' })
    await data.restore()
  })
})
