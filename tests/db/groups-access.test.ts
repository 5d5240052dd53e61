/**
 * The access matrix of groups and group messages (issue 10): every persona × every table of the domain
 * (select / insert / update / delete) and every RPC, through supabase-js against the local backend, in
 * the style of access-matrix.test.ts. Then what a malicious member would try: forged states, another
 * group's ids, huge bodies, malformed ids.
 *
 * Personas and the seed: group X has butlerX and butlerY as butlers and workerB as a member; group Y has
 * butlerY alone; workerA is in no group; admin is in none either. The fixtures add a pending request of
 * workerA to Y and a pending message of workerB in X (fresh, so still withdrawable).
 *
 * Cells: sees(…) rows by label · OK succeeds · DENY_ANON 401 / DENY 403 permission denied (no grant) ·
 * err(status, code, message). Every refused cell also checks that no row anywhere changed. The service
 * role is the system, not a person: the people's RPCs are not its to call (DENY), the checker's RPCs only
 * its, and it writes the tables directly (only the constraints stop it); the reading RPCs answer for a
 * person (the caller's groups), so without a person they give nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DENY, DENY_ANON, describeMatrix, err, labeller, NO_TABLE, OK, sees, untyped, type MatrixRow, type Probe, type Result,
} from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personaIds, personas, type Personas } from '../support/personas'

const request = '50000000-0000-4000-8000-000000000001'
const msgs = {
  m1: '30000000-0000-4000-8000-000000000001', // X, butlerX, published
  m2: '30000000-0000-4000-8000-000000000002', // X, workerB, published
  m3: '30000000-0000-4000-8000-000000000003', // X, butlerX, published
  m4: '30000000-0000-4000-8000-000000000004', // Y, butlerY, published
  pending: '30000000-0000-4000-8000-000000000010', // X, workerB, pending its check
} as const
const newMessage = '30000000-0000-4000-8000-0000000000aa'

const FIXTURES = `
  insert into public.group_join_requests (id, group_id, user_id, note) values ('${request}', '${groups.Y}', '${personaIds.workerA}', '申请加入');
  insert into public.group_messages (id, group_id, seq, rev, sender_id, kind, body, status, payload_hash)
  values ('${msgs.pending}', '${groups.X}', 4, 4, '${personaIds.workerB}', 'text', '待审核的消息', 'pending', 'fixture');
  update private.group_message_counters set last_value = 4 where group_id = '${groups.X}';
  insert into private.group_message_checks (message_id) values ('${msgs.pending}');
`

const label = labeller(personaIds, msgs, { X: groups.X, Y: groups.Y, request })

const NO_GROUP = err(500, 'P0002', '找不到这个创业群')
const NOT_BUTLER = err(403, '42501', '只有本群的创业管家可以管理本群')
const NO_REQUEST = err(500, 'P0002', '找不到这条入群申请')
const NO_MESSAGE = err(500, 'P0002', '找不到这条消息')
const NOT_MINE = err(403, '42501', '只能撤回自己发送的消息')
const ADMINS_ONLY = err(403, '42501', '只有管理员可以创建创业群')

const probes = {
  'groups: select': { object: 'table groups', rowLabel: (r) => label(r.id), run: (c) => c.from('groups').select('id, invite_code') },
  'groups: insert': { object: 'table groups', run: (c) => untyped(c).from('groups').insert({ name: '假群', district: '四方区', invite_code: 'FAKE01' }) },
  'groups: update X invite_code': { object: 'table groups', run: (c) => untyped(c).from('groups').update({ invite_code: 'OWNED1' }).eq('id', groups.X) },
  'groups: delete X': { object: 'table groups', run: (c) => c.from('groups').delete().eq('id', groups.X) },

  'group_members: select': {
    object: 'table group_members', rowLabel: (r) => `${label(r.group_id)}:${label(r.user_id)}`,
    run: (c) => c.from('group_members').select('group_id, user_id'),
  },
  'group_members: insert workerA into X': { object: 'table group_members', run: (c) => untyped(c).from('group_members').insert({ group_id: groups.X, user_id: personaIds.workerA }) },
  'group_members: update workerB to butler': {
    object: 'table group_members', run: (c) => untyped(c).from('group_members').update({ role: 'butler' }).eq('user_id', personaIds.workerB),
  },
  'group_members: update own last_read_rev': {
    object: 'table group_members', run: (c) => untyped(c).from('group_members').update({ last_read_rev: 999 }).eq('group_id', groups.X),
  },
  'group_members: delete workerB': { object: 'table group_members', run: (c) => c.from('group_members').delete().eq('user_id', personaIds.workerB) },

  'group_join_requests: select': { object: 'table group_join_requests', rowLabel: (r) => label(r.id), run: (c) => c.from('group_join_requests').select('id') },
  'group_join_requests: insert an approved request': {
    object: 'table group_join_requests', run: (c) => untyped(c).from('group_join_requests').insert({ group_id: groups.Y, user_id: personaIds.workerA, status: 'approved' }),
  },
  'group_join_requests: update the request to approved': {
    object: 'table group_join_requests', run: (c) => untyped(c).from('group_join_requests').update({ status: 'approved' }).eq('id', request),
  },
  'group_join_requests: delete': { object: 'table group_join_requests', run: (c) => c.from('group_join_requests').delete().eq('id', request) },

  'group_messages: select': { object: 'table group_messages', rowLabel: (r) => label(r.id), run: (c) => c.from('group_messages').select('id') },
  'group_messages: insert a published message': {
    object: 'table group_messages',
    run: (c) => untyped(c).from('group_messages').insert({ id: newMessage, group_id: groups.X, seq: 99, rev: 99, sender_id: personaIds.workerB, kind: 'text', body: '伪造', status: 'published', payload_hash: 'x', published_at: new Date().toISOString() }),
  },
  'group_messages: update the pending message to published': {
    object: 'table group_messages', run: (c) => untyped(c).from('group_messages').update({ status: 'published' }).eq('id', msgs.pending),
  },
  'group_messages: delete m2': { object: 'table group_messages', run: (c) => c.from('group_messages').delete().eq('id', msgs.m2) },

  'rpc: group_messages(X)': { object: 'function group_messages', rowLabel: (r) => label(r.id), run: (c) => c.rpc('group_messages', { group_id: groups.X }) },
  'rpc: group_messages(Y)': { object: 'function group_messages', rowLabel: (r) => label(r.id), run: (c) => c.rpc('group_messages', { group_id: groups.Y }) },
  'rpc: my_groups': { object: 'function my_groups', rowLabel: (r) => label(r.group_id), run: (c) => c.rpc('my_groups') },
  'rpc: discover_groups': { object: 'function discover_groups', rowLabel: (r) => label(r.id), run: (c) => c.rpc('discover_groups', {}) },
  'rpc: send_group_message to X': {
    object: 'function send_group_message',
    run: (c) => c.rpc('send_group_message', { id: newMessage, group_id: groups.X, kind: 'text', body: '矩阵测试' }),
  },
  'rpc: send_group_message to Y': {
    object: 'function send_group_message',
    run: (c) => c.rpc('send_group_message', { id: newMessage, group_id: groups.Y, kind: 'text', body: '矩阵测试' }),
  },
  "rpc: withdraw workerB's pending message": { object: 'function withdraw_group_message', run: (c) => c.rpc('withdraw_group_message', { id: msgs.pending }) },
  "rpc: withdraw workerB's published m2": { object: 'function withdraw_group_message', run: (c) => c.rpc('withdraw_group_message', { id: msgs.m2 }) },
  "rpc: withdraw butlerY's message in Y": { object: 'function withdraw_group_message', run: (c) => c.rpc('withdraw_group_message', { id: msgs.m4 }) },
  'rpc: mark_group_read(X, 3)': { object: 'function mark_group_read', run: (c) => c.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 3 }) },
  'rpc: join_group_by_code(LY2026)': { object: 'function join_group_by_code', run: (c) => c.rpc('join_group_by_code', { code: 'LY2026' }) },
  'rpc: request_to_join_group(Y)': { object: 'function request_to_join_group', run: (c) => c.rpc('request_to_join_group', { group_id: groups.Y }) },
  'rpc: decide_join_request(approve)': { object: 'function decide_join_request', run: (c) => c.rpc('decide_join_request', { request_id: request, approve: true }) },
  'rpc: leave_group(X)': { object: 'function leave_group', run: (c) => c.rpc('leave_group', { group_id: groups.X }) },
  'rpc: remove_group_member(X, workerB)': {
    object: 'function remove_group_member', run: (c) => c.rpc('remove_group_member', { group_id: groups.X, person: personaIds.workerB, reason: '测试' }),
  },
  'rpc: rotate_invite_code(X)': { object: 'function rotate_invite_code', run: (c) => c.rpc('rotate_invite_code', { group_id: groups.X }) },
  'rpc: update_group(X)': { object: 'function update_group', run: (c) => c.rpc('update_group', { group_id: groups.X, description: '改了' }) },
  'rpc: create_group': { object: 'function create_group', run: (c) => c.rpc('create_group', { name: '新群', district: '四方区' }) },
  'rpc: set_group_role(Y, butlerX, butler)': {
    object: 'function set_group_role', run: (c) => c.rpc('set_group_role', { group_id: groups.Y, person: personaIds.butlerX, role: 'butler' }),
  },
  'rpc: flagged_group_messages(X)': { object: 'function flagged_group_messages', rowLabel: (r) => label(r.id), run: (c) => c.rpc('flagged_group_messages', { group_id: groups.X }) },
  'rpc: decide_flagged_message(pending)': { object: 'function decide_flagged_message', run: (c) => c.rpc('decide_flagged_message', { id: msgs.pending, publish: true }) },
  'rpc: claim_content_checks': { object: 'function claim_content_checks', rowLabel: (r) => label(r.message_id), run: (c) => c.rpc('claim_content_checks', {}) },
  'rpc: finish_content_checks(pass the pending message)': {
    object: 'function finish_content_checks', run: (c) => c.rpc('finish_content_checks', { outcomes: [{ message_id: msgs.pending, outcome: 'pass' }] }),
  },
  'rpc: record_media_check(unknown trace)': {
    object: 'function record_media_check', run: (c) => c.rpc('record_media_check', { trace_id: 'nope', suggest: 'pass' }),
  },
  'private: select group_message_checks': { object: 'table group_message_checks', run: (c) => untyped(c).from('group_message_checks').select('*') },
} satisfies Record<string, Probe>

type ProbeName = keyof typeof probes
type Row = MatrixRow<ProbeName>

const X_PEOPLE = ['X:butlerX', 'X:butlerY', 'X:workerB']

// prettier-ignore
const matrix: Row[] = [
  // probe                                                 anon        workerA            workerB                           butlerX                     butlerY                                  admin                      service
  ['groups: select',                                       DENY_ANON,  sees(),            sees('X'),                        sees('X'),                  sees('X', 'Y'),                          sees('X', 'Y'),            sees('X', 'Y')],
  ['groups: insert',                                       DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['groups: update X invite_code',                         DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  // X's members have subsidy applications, which keep their group: even the service role archives it instead
  ['groups: delete X',                                     DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      err(409, '23503', /violates foreign key constraint "applications_group_id_fkey"/)],
  ['group_members: select',                                DENY_ANON,  sees(),            sees(...X_PEOPLE),                sees(...X_PEOPLE),          sees(...X_PEOPLE, 'Y:butlerY'),          sees(...X_PEOPLE, 'Y:butlerY'), sees(...X_PEOPLE, 'Y:butlerY')],
  ['group_members: insert workerA into X',                 DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['group_members: update workerB to butler',              DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['group_members: update own last_read_rev',              DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['group_members: delete workerB',                        DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['group_join_requests: select',                          DENY_ANON,  sees('request'),   sees(),                           sees(),                     sees('request'),                         sees('request'),           sees('request')],
  ['group_join_requests: insert an approved request',      DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      err(400, '23514', /decided_requests_say_when/)],
  ['group_join_requests: update the request to approved',  DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      err(400, '23514', /decided_requests_say_when/)],
  ['group_join_requests: delete',                          DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['group_messages: select',                               DENY_ANON,  sees(),            sees('m1', 'm2', 'm3', 'pending'), sees('m1', 'm2', 'm3'),    sees('m1', 'm2', 'm3', 'm4'),            sees(),                    sees('m1', 'm2', 'm3', 'm4', 'pending')],
  ['group_messages: insert a published message',           DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['group_messages: update the pending message to published', DENY_ANON, DENY,            DENY,                             DENY,                       DENY,                                    DENY,                      err(400, '23514', /published_messages_say_when/)],
  ['group_messages: delete m2',                            DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['rpc: group_messages(X)',                               DENY_ANON,  sees(),            sees('m1', 'm2', 'm3', 'pending'), sees('m1', 'm2', 'm3'),    sees('m1', 'm2', 'm3'),                  sees(),                    sees()],
  ['rpc: group_messages(Y)',                               DENY_ANON,  sees(),            sees(),                           sees(),                     sees('m4'),                              sees(),                    sees()],
  ['rpc: my_groups',                                       DENY_ANON,  sees(),            sees('X'),                        sees('X'),                  sees('X', 'Y'),                          sees(),                    sees()],
  ['rpc: discover_groups',                                 DENY_ANON,  sees('X', 'Y'),    sees('X', 'Y'),                   sees('X', 'Y'),             sees('X', 'Y'),                          sees('X', 'Y'),            DENY],
  ['rpc: send_group_message to X',                         DENY_ANON,  NO_GROUP,          OK,                               OK,                         OK,                                      NO_GROUP,                  DENY],
  ['rpc: send_group_message to Y',                         DENY_ANON,  NO_GROUP,          NO_GROUP,                         NO_GROUP,                   OK,                                      NO_GROUP,                  DENY],
  ["rpc: withdraw workerB's pending message",              DENY_ANON,  NO_MESSAGE,        OK,                               NO_MESSAGE,                 NO_MESSAGE,                              NO_MESSAGE,                DENY],
  ["rpc: withdraw workerB's published m2",                 DENY_ANON,  NO_MESSAGE,        err(400, 'P0001', '消息发出超过2分钟，不能撤回'), NOT_MINE,         NOT_MINE,                                NO_MESSAGE,                DENY],
  ["rpc: withdraw butlerY's message in Y",                  DENY_ANON,  NO_MESSAGE,        NO_MESSAGE,                       NO_MESSAGE,                 err(400, 'P0001', '消息发出超过2分钟，不能撤回'), NO_MESSAGE,       DENY],
  ['rpc: mark_group_read(X, 3)',                           DENY_ANON,  NO_GROUP,          OK,                               OK,                         OK,                                      NO_GROUP,                  DENY],
  ['rpc: join_group_by_code(LY2026)',                      DENY_ANON,  OK,                OK,                               OK,                         OK,                                      OK,                        DENY],
  ['rpc: request_to_join_group(Y)',                        DENY_ANON,  OK,                OK,                               OK,                         err(409, '23505', '您已经在这个创业群里了'), OK,                   DENY],
  ['rpc: decide_join_request(approve)',                    DENY_ANON,  NO_REQUEST,        NO_REQUEST,                       NO_REQUEST,                 OK,                                      OK,                        DENY],
  ['rpc: leave_group(X)',                                  DENY_ANON,  err(500, 'P0002', '您不在这个创业群里'), OK,            OK,                         OK,                                      err(500, 'P0002', '您不在这个创业群里'), DENY],
  ['rpc: remove_group_member(X, workerB)',                 DENY_ANON,  NO_GROUP,          NOT_BUTLER,                       OK,                         OK,                                      OK,                        DENY],
  ['rpc: rotate_invite_code(X)',                           DENY_ANON,  NO_GROUP,          NOT_BUTLER,                       OK,                         OK,                                      OK,                        DENY],
  ['rpc: update_group(X)',                                 DENY_ANON,  NO_GROUP,          NOT_BUTLER,                       OK,                         OK,                                      OK,                        DENY],
  ['rpc: create_group',                                    DENY_ANON,  ADMINS_ONLY,       ADMINS_ONLY,                      ADMINS_ONLY,                ADMINS_ONLY,                             OK,                        DENY],
  ['rpc: set_group_role(Y, butlerX, butler)',              DENY_ANON,  err(403, '42501', '只有管理员可以任命或撤销本群管家'), err(403, '42501', '只有管理员可以任命或撤销本群管家'), err(403, '42501', '只有管理员可以任命或撤销本群管家'), err(403, '42501', '只有管理员可以任命或撤销本群管家'), OK, DENY],
  ['rpc: flagged_group_messages(X)',                       DENY_ANON,  NO_GROUP,          err(403, '42501', '只有本群的创业管家可以查看未通过检查的消息'), sees(), sees(),               sees(),                    DENY],
  ['rpc: decide_flagged_message(pending)',                 DENY_ANON,  NO_MESSAGE,        NO_MESSAGE,                       err(400, 'P0001', '这条消息已处理'), err(400, 'P0001', '这条消息已处理'), err(400, 'P0001', '这条消息已处理'), DENY],
  ['rpc: claim_content_checks',                            DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['rpc: finish_content_checks(pass the pending message)', DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['rpc: record_media_check(unknown trace)',               DENY_ANON,  DENY,              DENY,                             DENY,                       DENY,                                    DENY,                      OK],
  ['private: select group_message_checks',                 NO_TABLE('group_message_checks'), NO_TABLE('group_message_checks'), NO_TABLE('group_message_checks'), NO_TABLE('group_message_checks'), NO_TABLE('group_message_checks'), NO_TABLE('group_message_checks'), NO_TABLE('group_message_checks')],
]

let be: TestBackend
let p: Personas
let data: DataSnapshot

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

describe('groups access matrix', () => {
  it('covers select, insert, update and delete of every table of the domain, and every probe once', () => {
    const covered = new Set(matrix.map(([name]) => `${probes[name].object} ${name.split(':')[1].trim().split(' ')[0]}`))
    for (const table of ['groups', 'group_members', 'group_join_requests', 'group_messages']) {
      for (const action of ['select', 'insert', 'update', 'delete']) expect(covered).toContain(`table ${table} ${action}`)
    }
    expect(new Set(matrix.map(([name]) => name)).size).toBe(Object.keys(probes).length)
  })

  // The service role's OK cells include direct table inserts, which answer 201.
  describeMatrix(probes, matrix, () => ({ p, data }), { okStatuses: [200, 201, 204] })
})

// ---------------------------------------------------------------------------------------------------
// what a malicious member would try
// ---------------------------------------------------------------------------------------------------

const refusal = (res: Result) => ({ status: res.status, code: res.error?.code ?? null, message: res.error?.message ?? null })

describe('a malicious member', () => {
  it("cannot read another group's messages, members, files or flagged list by naming its id", async () => {
    expect((await p.workerB.from('group_messages').select('id').eq('group_id', groups.Y)).data).toEqual([])
    expect((await p.workerB.from('group_members').select('user_id').eq('group_id', groups.Y)).data).toEqual([])
    expect((await p.workerB.from('groups').select('invite_code').eq('id', groups.Y)).data).toEqual([])
    expect(refusal(await p.butlerX.rpc('flagged_group_messages', { group_id: groups.Y }))).toEqual({ status: 500, code: 'P0002', message: '找不到这个创业群' })
    const list = await p.workerB.storage.from('chat-images').list(groups.Y)
    expect(list.data).toEqual([])
  })

  it('cannot forge a message for someone else, a published state or a sequence: the RPC takes none of them', async () => {
    const res = await untyped(p.workerB).rpc('send_group_message', {
      id: newMessage, group_id: groups.X, kind: 'text', body: '伪造', sender_id: personaIds.butlerX, status: 'published',
    })
    expect(res.status).toBe(404)
    expect(res.error?.code).toBe('PGRST202')
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('cannot mark messages of another group read, nor read further than exists', async () => {
    expect(refusal(await p.workerB.rpc('mark_group_read', { group_id: groups.Y, up_to_rev: 1 }))).toEqual({ status: 500, code: 'P0002', message: '找不到这个创业群' })
    expect((await p.workerB.rpc('mark_group_read', { group_id: groups.X, up_to_rev: Number.MAX_SAFE_INTEGER })).data).toBe(4)
  })

  it('cannot decide its own join request, nor approve a request of another group as a butler of one group', async () => {
    expect(refusal(await p.workerA.rpc('decide_join_request', { request_id: request, approve: true }))).toEqual({ status: 500, code: 'P0002', message: '找不到这条入群申请' })
    expect(refusal(await p.butlerX.rpc('decide_join_request', { request_id: request, approve: true }))).toEqual({ status: 500, code: 'P0002', message: '找不到这条入群申请' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('is refused for a huge body before anything is written, and for malformed ids', async () => {
    const huge = await p.workerB.rpc('send_group_message', { id: newMessage, group_id: groups.X, kind: 'text', body: '字'.repeat(100_000) })
    expect(refusal(huge)).toEqual({ status: 400, code: '22023', message: '消息最多2000个字，请分几条发送' })
    for (const bad of ['', 'x', '30000000-0000-4000-8000-00000000000', '../../etc/passwd']) {
      expect(refusal(await p.workerB.rpc('withdraw_group_message', { id: bad })).code).toBe('22P02')
      expect(refusal(await p.workerB.rpc('group_messages', { group_id: bad })).code).toBe('22P02')
    }
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('cannot list the members or profiles of a group by asking discover_groups (it gives names of groups only)', async () => {
    const res = await p.workerA.rpc('discover_groups', {})
    for (const g of res.data as Record<string, unknown>[]) expect(Object.keys(g).sort()).toEqual(['description', 'district', 'id', 'is_member', 'name', 'request_pending'])
  })

  it('a token claiming to be a butler of the group gives nothing: roles come from the database', async () => {
    const token = await be.signToken({ sub: personaIds.workerB, app_role: 'butler', group_role: 'butler' })
    const c = clientFor(be, token)
    expect(refusal(await c.rpc('remove_group_member', { group_id: groups.X, person: personaIds.butlerX }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以管理本群',
    })
  })
})
