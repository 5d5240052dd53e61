/**
 * The access matrix of subsidy applications: every persona × select / insert / update / delete of the
 * programmes, applications (and their full resident ID), materials, history, reveals and batches, and every
 * application RPC — including someone else's application id, another group's, a forged status through
 * the API and malformed or huge jsonb. Read a cell as in access-matrix.test.ts:
 *   sees(…) rows shown · ONE one row changed · NONE allowed but 0 rows · OK call succeeds ·
 *   DENY / DENY_ANON no privilege (403 / 401) · RLS refused by a policy · err(…) that exact error.
 * Every cell that is refused or changes nothing also checks that no row anywhere changed.
 *
 * On top of the seed (group X 兴隆路: butlerX and butlerY butlers, workerB a member with xDraft, xSubmitted
 * and xApproved in this month's 兴隆路 batch), workerA joins Y (辽源路: butlerY alone) and has ySubmitted
 * there, with a material and an event; X and Y applications each have a material; butlerY once revealed
 * xSubmitted's resident ID; Y has a batch. So butlerX is "another group's butler" for Y, butlerY reviews
 * both, workerA is another person for X and workerB for Y; drafts are their applicant's alone.
 */
import { afterAll, afterEach, beforeAll, describe } from 'vitest'
import {
  DENY, DENY_ANON, describeMatrix, err, labeller, OK, ONE, sees, type ActionProbe, type MatrixRow,
} from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'

const ids = {
  xDraft: '50000000-0000-4000-8000-000000000001',
  xSubmitted: '50000000-0000-4000-8000-000000000002',
  xApproved: '50000000-0000-4000-8000-000000000003',
  ySubmitted: '50000000-0000-4000-8000-0000000000b1',
  xMaterial: '51000000-0000-4000-8000-000000000001',
  yMaterial: '51000000-0000-4000-8000-0000000000b1',
  xBatch: '70000000-0000-4000-8000-000000000001',
  yBatch: '70000000-0000-4000-8000-0000000000b1',
  startup_once: '60000000-0000-4000-8000-000000000001',
  loan_interest: '60000000-0000-4000-8000-000000000002',
  rent: '60000000-0000-4000-8000-000000000003',
  job_creation: '60000000-0000-4000-8000-000000000004',
} as const

const FIXTURES = `
  insert into public.group_members (group_id, user_id, role) values ('${groups.Y}', '${people.worker1}', 'member');
  insert into public.applications (id, applicant_id, programme_id, group_id, street, status, consent_notice_version, consented_at,
                                   real_name, resident_id, phone, bank_name, bank_account, requested_amount, submitted_at)
    values ('${ids.ySubmitted}', '${people.worker1}', '${ids.loan_interest}', '${groups.Y}', '四方区辽源路街道', 'submitted', '2026-12', now(),
            '刘建国', '370203197005123022', '13800001111', '青岛银行', '6228480012345678', 3000, now() - interval '1 hour');
  insert into public.application_events (application_id, actor_id, from_status, to_status)
    values ('${ids.ySubmitted}', '${people.worker1}', 'draft', 'submitted');
  insert into public.application_materials (id, application_id, material_key, object_path, mime, size) values
    ('${ids.xMaterial}', '${ids.xSubmitted}', 'id_card', '${people.worker2}/${ids.xSubmitted}/a.jpg', 'image/jpeg', 100),
    ('${ids.yMaterial}', '${ids.ySubmitted}', 'id_card', '${people.worker1}/${ids.ySubmitted}/a.jpg', 'image/jpeg', 100);
  insert into public.application_reveals (application_id, field, actor_id) values ('${ids.xSubmitted}', 'resident_id', '${people.butler2}');
  insert into public.application_batches (id, street, month, cutoff_at)
    values ('${ids.yBatch}', '四方区辽源路街道', date '2026-11-01', private.batch_cutoff(date '2026-11-01'));
`

const label = labeller(ids)

// ---------------------------------------------------------------------------------------------------
// expectations
// ---------------------------------------------------------------------------------------------------
const NOT_FOUND = err(500, 'P0002', '找不到这份申报')
const REVIEWERS_ONLY = err(403, '42501', '只有所在创业群的管家可以审核这份申报')
const OWNER_ONLY = err(403, '42501', '只有申请人本人可以修改申报')
const NO_PRIVILEGE = (fn: string) => err(403, '42501', `permission denied for function ${fn}`)
const HISTORY = err(403, '42501', 'permission denied for table application_events')
const REVEALS = err(403, '42501', 'permission denied for table application_reveals')

const probes = {
  // programmes ----------------------------------------------------------------------------------------
  'subsidy_programmes: select': {
    object: 'table subsidy_programmes', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('subsidy_programmes').select('id'),
  },
  'subsidy_programmes: insert a programme': {
    object: 'table subsidy_programmes', action: 'insert',
    run: (c) => c.from('subsidy_programmes').insert({ code: 'forged', name: '伪造项目', max_amount: 1 }, { count: 'exact' }),
  },
  'subsidy_programmes: raise the maximum of startup_once': {
    object: 'table subsidy_programmes', action: 'update',
    run: (c) => c.from('subsidy_programmes').update({ max_amount: 999999 }, { count: 'exact' }).eq('id', ids.startup_once),
  },
  'subsidy_programmes: delete job_creation (applied for)': {
    object: 'table subsidy_programmes', action: 'delete',
    run: (c) => c.from('subsidy_programmes').delete({ count: 'exact' }).eq('id', ids.job_creation),
  },

  // applications --------------------------------------------------------------------------------------
  'applications: select': {
    object: 'table applications', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('applications').select('id, status, resident_id_masked'),
  },
  'applications: select the full resident_id': {
    object: 'table applications', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('applications').select('id, resident_id'),
  },
  'applications: select the full bank_account': {
    object: 'table applications', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('applications').select('id, bank_account'),
  },
  'applications: insert an approved application directly': {
    object: 'table applications', action: 'insert',
    run: (c) => c.from('applications').insert({
      applicant_id: people.worker2, programme_id: ids.loan_interest, group_id: groups.X, street: '四方区兴隆路街道', status: 'draft',
    }, { count: 'exact' }),
  },
  'applications: forge the approved amount of xApproved': {
    object: 'table applications', action: 'update',
    run: (c) => c.from('applications').update({ approved_amount: 99999 }, { count: 'exact' }).eq('id', ids.xApproved),
  },
  'applications: forge the status of xSubmitted': {
    object: 'table applications', action: 'update',
    run: (c) => c.from('applications').update({ status: 'under_review' }, { count: 'exact' }).eq('id', ids.xSubmitted),
  },
  'applications: delete xDraft': {
    object: 'table applications', action: 'delete',
    run: (c) => c.from('applications').delete({ count: 'exact' }).eq('id', ids.xDraft),
  },

  // materials -----------------------------------------------------------------------------------------
  'application_materials: select': {
    object: 'table application_materials', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('application_materials').select('id'),
  },
  'application_materials: attach a file directly': {
    object: 'table application_materials', action: 'insert',
    run: (c) => c.from('application_materials').insert({
      application_id: ids.xSubmitted, material_key: 'bank_card', object_path: `${people.worker2}/${ids.xSubmitted}/b.jpg`, mime: 'image/jpeg', size: 1,
    }, { count: 'exact' }),
  },
  "application_materials: repoint X's material": {
    object: 'table application_materials', action: 'update',
    run: (c) => c.from('application_materials').update({ object_path: `${people.worker2}/${ids.xSubmitted}/evil.jpg` }, { count: 'exact' }).eq('id', ids.xMaterial),
  },
  "application_materials: delete X's material": {
    object: 'table application_materials', action: 'delete',
    run: (c) => c.from('application_materials').delete({ count: 'exact' }).eq('id', ids.xMaterial),
  },

  // history -------------------------------------------------------------------------------------------
  'application_events: select': {
    object: 'table application_events', action: 'select', rowLabel: (r) => label(r.application_id),
    run: (c) => c.from('application_events').select('application_id'),
  },
  'application_events: insert a forged approval': {
    object: 'table application_events', action: 'insert',
    run: (c) => c.from('application_events').insert({ application_id: ids.xSubmitted, from_status: 'submitted', to_status: 'approved' }, { count: 'exact' }),
  },
  'application_events: rewrite a note': {
    object: 'table application_events', action: 'update',
    run: (c) => c.from('application_events').update({ note: '改写历史' }, { count: 'exact' }).eq('application_id', ids.xApproved),
  },
  'application_events: delete history': {
    object: 'table application_events', action: 'delete',
    run: (c) => c.from('application_events').delete({ count: 'exact' }).eq('application_id', ids.xApproved),
  },

  // reveals -------------------------------------------------------------------------------------------
  'application_reveals: select': {
    object: 'table application_reveals', action: 'select', rowLabel: (r) => `reveal of ${label(r.application_id)}`,
    run: (c) => c.from('application_reveals').select('application_id'),
  },
  'application_reveals: insert one': {
    object: 'table application_reveals', action: 'insert',
    run: (c) => c.from('application_reveals').insert({ application_id: ids.xApproved, field: 'bank_account', actor_id: people.admin }, { count: 'exact' }),
  },
  'application_reveals: erase the record': {
    object: 'table application_reveals', action: 'delete',
    run: (c) => c.from('application_reveals').delete({ count: 'exact' }).eq('application_id', ids.xSubmitted),
  },

  // batches -------------------------------------------------------------------------------------------
  'application_batches: select': {
    object: 'table application_batches', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('application_batches').select('id'),
  },
  'application_batches: insert one': {
    object: 'table application_batches', action: 'insert',
    run: (c) => c.from('application_batches').insert({ street: '四方区兴隆路街道', month: '2030-01-01', cutoff_at: '2030-01-25T09:30:00Z' }, { count: 'exact' }),
  },
  "application_batches: lock X's batch": {
    object: 'table application_batches', action: 'update',
    run: (c) => c.from('application_batches').update({ status: 'locked', locked_at: new Date().toISOString() }, { count: 'exact' }).eq('id', ids.xBatch),
  },

  // RPCs: the applicant's ----------------------------------------------------------------------------
  'rpc save_application_draft: xDraft phone': {
    object: 'function save_application_draft', action: 'call',
    run: (c) => c.rpc('save_application_draft', { application_id: ids.xDraft, programme_id: ids.rent, fields: { phone: '13900002222' } as never }),
  },
  'rpc save_application_draft: xDraft with a forged status': {
    object: 'function save_application_draft', action: 'call',
    run: (c) => c.rpc('save_application_draft', { application_id: ids.xDraft, programme_id: ids.rent, fields: { status: 'approved', approved_amount: 99999 } as never }),
  },
  'rpc save_application_draft: xDraft with 100 kB of jsonb': {
    object: 'function save_application_draft', action: 'call',
    run: (c) => c.rpc('save_application_draft', { application_id: ids.xDraft, programme_id: ids.rent, fields: { business_name: 'x'.repeat(100_000) } as never }),
  },
  'rpc save_application_draft: xSubmitted (no longer editable)': {
    object: 'function save_application_draft', action: 'call',
    run: (c) => c.rpc('save_application_draft', { application_id: ids.xSubmitted, programme_id: ids.job_creation, fields: { phone: '13900002222' } as never }),
  },
  'rpc record_application_consent: xDraft': {
    object: 'function record_application_consent', action: 'call',
    run: (c) => c.rpc('record_application_consent', { application_id: ids.xDraft, notice_version: '2027-01' }),
  },
  'rpc attach_application_material: an unverified path to xDraft': {
    object: 'function attach_application_material', action: 'call',
    run: (c) => c.rpc('attach_application_material', { application_id: ids.xDraft, material_key: 'id_card', path: `${people.worker2}/${ids.xDraft}/none.jpg` }),
  },
  "rpc remove_application_material: X's material": {
    object: 'function remove_application_material', action: 'call',
    run: (c) => c.rpc('remove_application_material', { material_id: ids.xMaterial }),
  },
  'rpc submit_application: xDraft (incomplete)': {
    object: 'function submit_application', action: 'call',
    run: (c) => c.rpc('submit_application', { application_id: ids.xDraft }),
  },
  'rpc submit_application: xSubmitted again': {
    object: 'function submit_application', action: 'call',
    run: (c) => c.rpc('submit_application', { application_id: ids.xSubmitted }),
  },

  // RPCs: the reviewers' ----------------------------------------------------------------------------
  'rpc start_application_review: xSubmitted': {
    object: 'function start_application_review', action: 'call',
    run: (c) => c.rpc('start_application_review', { application_id: ids.xSubmitted }),
  },
  'rpc approve_application: xSubmitted 4000': {
    object: 'function approve_application', action: 'call',
    run: (c) => c.rpc('approve_application', { application_id: ids.xSubmitted, amount: 4000 }),
  },
  'rpc approve_application: ySubmitted 3000': {
    object: 'function approve_application', action: 'call',
    run: (c) => c.rpc('approve_application', { application_id: ids.ySubmitted, amount: 3000 }),
  },
  'rpc approve_application: xDraft': {
    object: 'function approve_application', action: 'call',
    run: (c) => c.rpc('approve_application', { application_id: ids.xDraft, amount: 3000 }),
  },
  'rpc reject_application: xSubmitted': {
    object: 'function reject_application', action: 'call',
    run: (c) => c.rpc('reject_application', { application_id: ids.xSubmitted, reason: '材料不全' }),
  },
  'rpc request_application_supplement: xSubmitted phone': {
    object: 'function request_application_supplement', action: 'call',
    run: (c) => c.rpc('request_application_supplement', { application_id: ids.xSubmitted, items: [{ kind: 'field', key: 'phone' }] as never }),
  },
  'rpc request_application_supplement: malformed items': {
    object: 'function request_application_supplement', action: 'call',
    run: (c) => c.rpc('request_application_supplement', { application_id: ids.xSubmitted, items: [[{ deep: { deeper: [1, 2, 3] } }]] as never }),
  },
  'rpc application_sensitive: xSubmitted': {
    object: 'function application_sensitive', action: 'call',
    run: (c) => c.rpc('application_sensitive', { application_id: ids.xSubmitted }),
  },
  'rpc application_review_queue': {
    object: 'function application_review_queue', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('application_review_queue', {}),
  },
  'rpc save_subsidy_programme: a new one': {
    object: 'function save_subsidy_programme', action: 'call',
    run: (c) => c.rpc('save_subsidy_programme', { programme: { code: 'training', name: '创业培训补贴', max_amount: 1500 } as never }),
  },
  'rpc eligibility_check': {
    object: 'function eligibility_check', action: 'call',
    run: (c) => c.rpc('eligibility_check', { answers: { displaced_worker: true } as never }),
  },
} satisfies Record<string, ActionProbe>

type Name = keyof typeof probes
const ALL_PROGRAMMES = sees('startup_once', 'loan_interest', 'rent', 'job_creation')
const SIGN_IN = DENY_ANON

// prettier-ignore
const matrix: MatrixRow<Name>[] = [
  //                                                          anon          workerA                     workerB                       butlerX                        butlerY                                      admin                                         service
  ['subsidy_programmes: select',                              ALL_PROGRAMMES, ALL_PROGRAMMES,           ALL_PROGRAMMES,               ALL_PROGRAMMES,                ALL_PROGRAMMES,                              ALL_PROGRAMMES,                               ALL_PROGRAMMES],
  ['subsidy_programmes: insert a programme',                  DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['subsidy_programmes: raise the maximum of startup_once',   DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['subsidy_programmes: delete job_creation (applied for)',                DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         err(409, '23503', /violates foreign key constraint/)],

  ['applications: select',                                    DENY_ANON,    sees('ySubmitted'),         sees('xDraft', 'xSubmitted', 'xApproved'), sees('xSubmitted', 'xApproved'), sees('xSubmitted', 'xApproved', 'ySubmitted'), sees('xSubmitted', 'xApproved', 'ySubmitted'), sees('xDraft', 'xSubmitted', 'xApproved', 'ySubmitted')],
  ['applications: select the full resident_id',               DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         sees('xDraft', 'xSubmitted', 'xApproved', 'ySubmitted')],
  ['applications: select the full bank_account',              DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         sees('xDraft', 'xSubmitted', 'xApproved', 'ySubmitted')],
  ['applications: insert an approved application directly',   DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['applications: forge the approved amount of xApproved',    DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['applications: forge the status of xSubmitted',            DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['applications: delete xDraft',                             DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],

  ['application_materials: select',                           DENY_ANON,    sees('yMaterial'),          sees('xMaterial'),            sees('xMaterial'),             sees('xMaterial', 'yMaterial'),              sees('xMaterial', 'yMaterial'),               sees('xMaterial', 'yMaterial')],
  ['application_materials: attach a file directly',           DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ["application_materials: repoint X's material",             DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ["application_materials: delete X's material",              DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],

  ['application_events: select',                             DENY_ANON,    sees('ySubmitted'),         sees('xSubmitted', 'xApproved'), sees('xSubmitted', 'xApproved'), sees('xSubmitted', 'xApproved', 'ySubmitted'), sees('xSubmitted', 'xApproved', 'ySubmitted'), sees('xSubmitted', 'xApproved', 'ySubmitted')],
  ['application_events: insert a forged approval',            DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['application_events: rewrite a note',                      DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         HISTORY],
  ['application_events: delete history',                      DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         HISTORY],

  ['application_reveals: select',                             DENY_ANON,    sees(),                     sees(),                       sees(),                        sees('reveal of xSubmitted'),                sees('reveal of xSubmitted'),                 sees('reveal of xSubmitted')],
  ['application_reveals: insert one',                         DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ['application_reveals: erase the record',                   DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         REVEALS],

  ['application_batches: select',                             DENY_ANON,    sees(),                     sees(),                       sees('xBatch'),                sees('xBatch', 'yBatch'),                    sees('xBatch', 'yBatch'),                     sees('xBatch', 'yBatch')],
  ['application_batches: insert one',                         DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],
  ["application_batches: lock X's batch",               DENY_ANON,    DENY,                       DENY,                         DENY,                          DENY,                                        DENY,                                         ONE],

  ['rpc save_application_draft: xDraft phone',                SIGN_IN,      NOT_FOUND,                  OK,                           NOT_FOUND,                     NOT_FOUND,                                   NOT_FOUND,                                    NO_PRIVILEGE('save_application_draft')],
  ['rpc save_application_draft: xDraft with a forged status', SIGN_IN,      NOT_FOUND,                  err(400, '22023', '不支持的申报字段：status'), NOT_FOUND, NOT_FOUND,                                  NOT_FOUND,                                    NO_PRIVILEGE('save_application_draft')],
  ['rpc save_application_draft: xDraft with 100 kB of jsonb', SIGN_IN,      NOT_FOUND,                  err(400, '22023', '申报内容过长'), NOT_FOUND,                  NOT_FOUND,                                   NOT_FOUND,                                    NO_PRIVILEGE('save_application_draft')],
  ['rpc save_application_draft: xSubmitted (no longer editable)', SIGN_IN,  NOT_FOUND,                  err(400, 'P0001', '申报已提交，不能再修改'), OWNER_ONLY,      OWNER_ONLY,                                  OWNER_ONLY,                                   NO_PRIVILEGE('save_application_draft')],
  ['rpc record_application_consent: xDraft',                  SIGN_IN,      NOT_FOUND,                  OK,                           NOT_FOUND,                     NOT_FOUND,                                   NOT_FOUND,                                    NO_PRIVILEGE('record_application_consent')],
  ['rpc attach_application_material: an unverified path to xDraft', SIGN_IN, NOT_FOUND,                err(400, '22023', '文件还没有通过校验，请重新上传（仅支持20MB以内的照片或PDF）'), NOT_FOUND, NOT_FOUND,           NOT_FOUND,                                    NO_PRIVILEGE('attach_application_material')],
  ["rpc remove_application_material: X's material",           SIGN_IN,      NOT_FOUND,                  err(400, 'P0001', '申报已提交，不能再修改材料'), OWNER_ONLY,  OWNER_ONLY,                                  OWNER_ONLY,                                   NO_PRIVILEGE('remove_application_material')],
  ['rpc submit_application: xDraft (incomplete)',             SIGN_IN,      NOT_FOUND,                  err(400, '22023', '请填写：开户银行、银行账号、企业名称、统一社会信用代码、成立日期、从业人数、申请金额'), NOT_FOUND, NOT_FOUND, NOT_FOUND,               NO_PRIVILEGE('submit_application')],
  ['rpc submit_application: xSubmitted again',                SIGN_IN,      NOT_FOUND,                  OK,                           OWNER_ONLY,                    OWNER_ONLY,                                  OWNER_ONLY,                                   NO_PRIVILEGE('submit_application')],

  ['rpc start_application_review: xSubmitted',                SIGN_IN,      NOT_FOUND,                  REVIEWERS_ONLY,               OK,                            OK,                                          OK,                                           NO_PRIVILEGE('start_application_review')],
  ['rpc approve_application: xSubmitted 4000',                SIGN_IN,      NOT_FOUND,                  REVIEWERS_ONLY,               OK,                            OK,                                          OK,                                           NO_PRIVILEGE('approve_application')],
  ['rpc approve_application: ySubmitted 3000',                SIGN_IN,      REVIEWERS_ONLY,             NOT_FOUND,                    NOT_FOUND,                     OK,                                          OK,                                           NO_PRIVILEGE('approve_application')],
  ['rpc approve_application: xDraft',                         SIGN_IN,      NOT_FOUND,                  REVIEWERS_ONLY,               NOT_FOUND,                     NOT_FOUND,                                   NOT_FOUND,                                    NO_PRIVILEGE('approve_application')],
  ['rpc reject_application: xSubmitted',                      SIGN_IN,      NOT_FOUND,                  REVIEWERS_ONLY,               OK,                            OK,                                          OK,                                           NO_PRIVILEGE('reject_application')],
  ['rpc request_application_supplement: xSubmitted phone',    SIGN_IN,      NOT_FOUND,                  REVIEWERS_ONLY,               OK,                            OK,                                          OK,                                           NO_PRIVILEGE('request_application_supplement')],
  ['rpc request_application_supplement: malformed items',     SIGN_IN,      NOT_FOUND,                  REVIEWERS_ONLY,               err(400, '22023', '补正清单格式不正确'), err(400, '22023', '补正清单格式不正确'), err(400, '22023', '补正清单格式不正确'), NO_PRIVILEGE('request_application_supplement')],
  ['rpc application_sensitive: xSubmitted',                   SIGN_IN,      NOT_FOUND,                  OK,                           OK,                            OK,                                          OK,                                           NO_PRIVILEGE('application_sensitive')],
  ['rpc application_review_queue',                            SIGN_IN,      sees(),                     sees(),                       sees('xSubmitted', 'xApproved'), sees('xSubmitted', 'xApproved', 'ySubmitted'), sees('xSubmitted', 'xApproved', 'ySubmitted'), NO_PRIVILEGE('application_review_queue')],
  ['rpc save_subsidy_programme: a new one',                   SIGN_IN,      err(403, '42501', '只有管理员可以维护补贴项目'), err(403, '42501', '只有管理员可以维护补贴项目'), err(403, '42501', '只有管理员可以维护补贴项目'), err(403, '42501', '只有管理员可以维护补贴项目'), OK, NO_PRIVILEGE('save_subsidy_programme')],
  ['rpc eligibility_check',                                   OK,           OK,                         OK,                           OK,                            OK,                                          OK,                                           OK],
]

let be: TestBackend
let p: Personas
let data: DataSnapshot

describe('applications access matrix', () => {
  beforeAll(async () => {
    be = await startTestBackend()
    await be.db.exec(FIXTURES)
    data = await snapshotData(be)
    p = await personas(be)
  })
  afterAll(async () => {
    await be?.close()
  })
  afterEach(async () => {
    if ((await data.fingerprint()) !== data.baseline) await data.restore()
  })

  describeMatrix(probes, matrix, () => ({ p, data }))
})
