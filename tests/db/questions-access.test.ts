/**
 * The access matrix of the question desk: every persona × select / insert / update / delete of the
 * roster, questions, replies, question history, FAQ, canned replies and the holiday calendar, and every
 * question RPC, through supabase-js against the local backend. Read a cell as in access-matrix.test.ts:
 *   sees(…) rows shown · ONE one row changed · NONE allowed but 0 rows · OK call succeeds ·
 *   DENY / DENY_ANON no privilege (403 / 401) · RLS refused by a policy · err(…) that exact error.
 * Every cell that is refused or changes nothing also checks that no row anywhere changed.
 *
 * On top of the seed (group X 兴隆路: butlerX and butlerY butlers, workerB member, seeded questions of
 * workerB, an FAQ entry, canned replies, butlerX's shift; group Y 辽源路: butlerY), workerA joins Y and
 * asks there (yQuestion, owned by butlerY, one reply by butlerY), butlerY has a shift in Y and a
 * personal canned reply. So workerA is "another group's member" for X, workerB for Y, butlerX is a
 * butler of X only, butlerY of both, and the admin of neither.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DENY, DENY_ANON, describeMatrix, err, labeller, NO_FUNCTION, NONE, OK, ONE, RLS, sees, type ActionProbe, type MatrixRow, type Result,
} from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'

const ids = {
  xShift: '40000000-0000-4000-8000-0000000000d1',
  yShift: '40000000-0000-4000-8000-0000000000d2',
  xAccepted: '40000000-0000-4000-8000-000000000001',
  xAnswered: '40000000-0000-4000-8000-000000000002',
  yQuestion: '40000000-0000-4000-8000-0000000000b1',
  xReply1: '41000000-0000-4000-8000-000000000001',
  xReply2: '41000000-0000-4000-8000-000000000002',
  yReply: '41000000-0000-4000-8000-0000000000b1',
  xFaq: '42000000-0000-4000-8000-000000000001',
  X: groups.X,
  Y: groups.Y,
} as const

const FIXTURES = `
  insert into public.group_members (group_id, user_id, role) values ('${groups.Y}', '${people.worker1}', 'member');
  insert into public.group_duty_shifts (id, group_id, butler_id, starts_at, ends_at)
    values ('${ids.yShift}', '${groups.Y}', '${people.butler2}', now() + interval '2 days', now() + interval '3 days');
  insert into public.group_questions (id, group_id, asker_id, title, owner_id, due_at)
    values ('${ids.yQuestion}', '${groups.Y}', '${people.worker1}', '辽源路的问题', '${people.butler2}', now() + interval '1 day');
  insert into public.group_question_replies (id, question_id, group_id, author_id, body)
    values ('${ids.yReply}', '${ids.yQuestion}', '${groups.Y}', '${people.butler2}', '我来看看');
  insert into public.group_question_events (question_id, group_id, actor_id, kind, to_status, owner_id)
    values ('${ids.yQuestion}', '${groups.Y}', '${people.worker1}', 'asked', 'open', '${people.butler2}');
  insert into public.canned_replies (owner_id, title, body) values ('${people.butler2}', '张的私人', '私人常用语');
`

const label = labeller(ids)

// ---------------------------------------------------------------------------------------------------
// expectations (tests/support/access-matrix.ts has the common ones)
// ---------------------------------------------------------------------------------------------------

// The service role acts for the system, never as a person: it may not run the question RPCs at all, and
// the one that runs with the caller's rights finds nobody signed in.
const SIGN_IN = err(403, '42501', '请先登录')
const NOT_FOUND = err(500, 'P0002', '找不到这个问题')
const forbidden = (message: string) => err(403, '42501', message)
const BUTLERS_ONLY = (action: string) => forbidden(`只有本群的创业管家可以${action}`)

const later = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString()

const probes = {
  // roster --------------------------------------------------------------------------------------------
  'group_duty_shifts: select': {
    object: 'table group_duty_shifts', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('group_duty_shifts').select('id'),
  },
  'group_duty_shifts: insert a shift of butler2 in X': {
    object: 'table group_duty_shifts', action: 'insert',
    run: (c) => c.from('group_duty_shifts').insert({ group_id: ids.X, butler_id: people.butler2, starts_at: later(40), ends_at: later(41) }, { count: 'exact' }),
  },
  "group_duty_shifts: update X's shift note": {
    object: 'table group_duty_shifts', action: 'update',
    run: (c) => c.from('group_duty_shifts').update({ note: '改过' }, { count: 'exact' }).eq('id', ids.xShift),
  },
  "group_duty_shifts: update X's shift handed_over_at": {
    object: 'table group_duty_shifts', action: 'update',
    run: (c) => c.from('group_duty_shifts').update({ handed_over_at: later(0) } as never, { count: 'exact' }).eq('id', ids.xShift),
  },
  "group_duty_shifts: delete Y's shift": {
    object: 'table group_duty_shifts', action: 'delete',
    run: (c) => c.from('group_duty_shifts').delete({ count: 'exact' }).eq('id', ids.yShift),
  },

  // questions -----------------------------------------------------------------------------------------
  'group_questions: select': {
    object: 'table group_questions', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('group_questions').select('id'),
  },
  'group_questions: insert a question in X directly': {
    object: 'table group_questions', action: 'insert',
    run: (c) => c.from('group_questions').insert({ group_id: ids.X, asker_id: people.worker2, title: '直接写入', due_at: later(1) }, { count: 'exact' }),
  },
  'group_questions: update xAnswered to accepted directly': {
    object: 'table group_questions', action: 'update',
    run: (c) => c.from('group_questions').update({ status: 'accepted' }, { count: 'exact' }).eq('id', ids.xAnswered),
  },
  'group_questions: delete xAnswered': {
    object: 'table group_questions', action: 'delete',
    run: (c) => c.from('group_questions').delete({ count: 'exact' }).eq('id', ids.xAnswered),
  },

  // replies -------------------------------------------------------------------------------------------
  'group_question_replies: select': {
    object: 'table group_question_replies', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('group_question_replies').select('id'),
  },
  'group_question_replies: insert a reply to xAnswered directly': {
    object: 'table group_question_replies', action: 'insert',
    run: (c) => c.from('group_question_replies').insert({ question_id: ids.xAnswered, group_id: ids.X, author_id: people.butler1, body: '直接写入' }, { count: 'exact' }),
  },
  "group_question_replies: update the answer's body": {
    object: 'table group_question_replies', action: 'update',
    run: (c) => c.from('group_question_replies').update({ body: '改写答案' }, { count: 'exact' }).eq('id', ids.xReply2),
  },
  'group_question_replies: delete the answer': {
    object: 'table group_question_replies', action: 'delete',
    run: (c) => c.from('group_question_replies').delete({ count: 'exact' }).eq('id', ids.xReply2),
  },

  // history -------------------------------------------------------------------------------------------
  'group_question_events: select': {
    object: 'table group_question_events', action: 'select', rowLabel: (r) => label(r.question_id),
    run: (c) => c.from('group_question_events').select('question_id'),
  },
  'group_question_events: insert a forged event': {
    object: 'table group_question_events', action: 'insert',
    run: (c) => c.from('group_question_events').insert({ question_id: ids.xAnswered, group_id: ids.X, kind: 'accepted' }, { count: 'exact' }),
  },
  'group_question_events: update history': {
    object: 'table group_question_events', action: 'update',
    run: (c) => c.from('group_question_events').update({ note: '改写历史' }, { count: 'exact' }).eq('question_id', ids.xAnswered),
  },
  'group_question_events: delete history': {
    object: 'table group_question_events', action: 'delete',
    run: (c) => c.from('group_question_events').delete({ count: 'exact' }).eq('question_id', ids.xAnswered),
  },

  // FAQ -----------------------------------------------------------------------------------------------
  'group_faqs: select': {
    object: 'table group_faqs', action: 'select', rowLabel: (r) => label(r.id),
    run: (c) => c.from('group_faqs').select('id'),
  },
  'group_faqs: insert an entry in X': {
    object: 'table group_faqs', action: 'insert',
    run: (c) => c.from('group_faqs').insert({ group_id: ids.X, question: '孵化基地在哪？', answer: '兴隆路88号。' }, { count: 'exact' }),
  },
  "group_faqs: update X's entry": {
    object: 'table group_faqs', action: 'update',
    run: (c) => c.from('group_faqs').update({ answer: '改写' }, { count: 'exact' }).eq('id', ids.xFaq),
  },
  "group_faqs: delete X's entry": {
    object: 'table group_faqs', action: 'delete',
    run: (c) => c.from('group_faqs').delete({ count: 'exact' }).eq('id', ids.xFaq),
  },

  // canned replies ------------------------------------------------------------------------------------
  'canned_replies: select': {
    object: 'table canned_replies', action: 'select', rowLabel: (r) => String(r.title),
    run: (c) => c.from('canned_replies').select('title'),
  },
  'canned_replies: insert a shared reply in Y': {
    object: 'table canned_replies', action: 'insert',
    run: (c) => c.from('canned_replies').insert({ group_id: ids.Y, title: '新的', body: '群共享常用语' }, { count: 'exact' }),
  },
  'canned_replies: insert a personal reply of butler1': {
    object: 'table canned_replies', action: 'insert',
    run: (c) => c.from('canned_replies').insert({ owner_id: people.butler1, title: '我的新的', body: '私人常用语' }, { count: 'exact' }),
  },
  "canned_replies: update X's shared 已收到": {
    object: 'table canned_replies', action: 'update',
    run: (c) => c.from('canned_replies').update({ body: '改写' }, { count: 'exact' }).eq('title', '已收到'),
  },
  "canned_replies: delete butler1's personal reply": {
    object: 'table canned_replies', action: 'delete',
    run: (c) => c.from('canned_replies').delete({ count: 'exact' }).eq('title', '稍等查询'),
  },

  // calendar ------------------------------------------------------------------------------------------
  'holidays: select 2026-10-10': {
    object: 'table holidays', action: 'select', rowLabel: (r) => String(r.day),
    run: (c) => c.from('holidays').select('day').eq('day', '2026-10-10'),
  },
  'holidays: insert 2026-12-31 off': {
    object: 'table holidays', action: 'insert',
    run: (c) => c.from('holidays').insert({ day: '2026-12-31', kind: 'off', name: '私放假' }, { count: 'exact' }),
  },
  'holidays: update 2026-10-10 to off': {
    object: 'table holidays', action: 'update',
    run: (c) => c.from('holidays').update({ name: '国庆节调休' }, { count: 'exact' }).eq('day', '2026-10-10'),
  },
  'holidays: delete 2026-10-10': {
    object: 'table holidays', action: 'delete',
    run: (c) => c.from('holidays').delete({ count: 'exact' }).eq('day', '2026-10-10'),
  },

  // RPCs ----------------------------------------------------------------------------------------------
  'rpc: ask_question in X': {
    object: 'function ask_question', action: 'call',
    run: (c) => c.rpc('ask_question', { group_id: ids.X, title: '兴隆路的新问题' }),
  },
  'rpc: ask_question in Y': {
    object: 'function ask_question', action: 'call',
    run: (c) => c.rpc('ask_question', { group_id: ids.Y, title: '辽源路的新问题' }),
  },
  'rpc: reply_to_question(xAnswered)': {
    object: 'function reply_to_question', action: 'call',
    run: (c) => c.rpc('reply_to_question', { question_id: ids.xAnswered, body: '补充一句' }),
  },
  'rpc: mark_answer(yReply)': {
    object: 'function mark_answer', action: 'call',
    run: (c) => c.rpc('mark_answer', { reply_id: ids.yReply }),
  },
  'rpc: accept_answer(xAnswered)': {
    object: 'function accept_answer', action: 'call',
    run: (c) => c.rpc('accept_answer', { question_id: ids.xAnswered }),
  },
  'rpc: reopen_question(xAnswered)': {
    object: 'function reopen_question', action: 'call',
    run: (c) => c.rpc('reopen_question', { question_id: ids.xAnswered, body: '还有疑问' }),
  },
  'rpc: close_question(xAnswered)': {
    object: 'function close_question', action: 'call',
    run: (c) => c.rpc('close_question', { question_id: ids.xAnswered, reason: '已解决' }),
  },
  'rpc: claim_question(yQuestion)': {
    object: 'function claim_question', action: 'call',
    run: (c) => c.rpc('claim_question', { question_id: ids.yQuestion }),
  },
  'rpc: assign_question(yQuestion → butler1, not a butler of Y)': {
    object: 'function assign_question', action: 'call',
    run: (c) => c.rpc('assign_question', { question_id: ids.yQuestion, butler_id: people.butler1 }),
  },
  'rpc: create_faq_from_question(xAnswered)': {
    object: 'function create_faq_from_question', action: 'call',
    run: (c) => c.rpc('create_faq_from_question', { question_id: ids.xAnswered }),
  },
  "rpc: convert_message_to_question(worker2's seeded message, already a question)": {
    object: 'function convert_message_to_question', action: 'call',
    run: (c) => c.rpc('convert_message_to_question', { message_id: '30000000-0000-4000-8000-000000000002' }),
  },
  'rpc: suggest_faq(X, 补贴)': {
    object: 'function suggest_faq', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('suggest_faq', { group_id: ids.X, q: '补贴' }),
  },
  'rpc: butler_queue': {
    object: 'function butler_queue', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('butler_queue'),
  },
  'rpc: desk_summary(X)': {
    object: 'function desk_summary', action: 'call', rowLabel: (r) => label(r.group_id),
    run: (c) => c.rpc('desk_summary', { for_group: ids.X }),
  },
  'private: rpc butler_on_duty': {
    object: 'function butler_on_duty', action: 'call',
    run: (c) => (c as unknown as { rpc(n: string, a: object): PromiseLike<Result> }).rpc('butler_on_duty', { p_group: ids.X }),
  },
  'private: rpc run_question_desk_jobs': {
    object: 'function run_question_desk_jobs', action: 'call',
    run: (c) => (c as unknown as { rpc(n: string, a: object): PromiseLike<Result> }).rpc('run_question_desk_jobs', {}),
  },
} satisfies Record<string, ActionProbe>

type ProbeName = keyof typeof probes
type Row = MatrixRow<ProbeName>

const xQuestions = ['xAccepted', 'xAnswered']
const xShared = ['已收到', '补贴材料', '孵化基地']
const ASKER_ONLY_ACCEPT = forbidden('只有提问人可以采纳答案')
const ASKER_ONLY_REOPEN = forbidden('只有提问人可以继续追问')
const MEMBERS_ONLY = forbidden('只有本群成员可以在群里提问')

// prettier-ignore
const matrix: Row[] = [
  // probe                                                        anon       workerA (Y member)   workerB (X member)     butlerX (X)             butlerY (X, Y)                 admin                          service
  ['group_duty_shifts: select',                                    DENY_ANON, sees('yShift'),      sees('xShift'),        sees('xShift'),         sees('xShift', 'yShift'),      sees('xShift', 'yShift'),      sees('xShift', 'yShift')],
  ['group_duty_shifts: insert a shift of butler2 in X',            DENY_ANON, RLS,                 RLS,                   ONE,                    ONE,                           ONE,                           ONE],
  ["group_duty_shifts: update X's shift note",                     DENY_ANON, NONE,                NONE,                  ONE,                    ONE,                           ONE,                           ONE],
  ["group_duty_shifts: update X's shift handed_over_at",           DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],
  ["group_duty_shifts: delete Y's shift",                          DENY_ANON, NONE,                NONE,                  NONE,                   ONE,                           ONE,                           ONE],

  ['group_questions: select',                                      DENY_ANON, sees('yQuestion'),   sees(...xQuestions),   sees(...xQuestions),    sees(...xQuestions, 'yQuestion'), sees(...xQuestions, 'yQuestion'), sees(...xQuestions, 'yQuestion')],
  ['group_questions: insert a question in X directly',             DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],
  ['group_questions: update xAnswered to accepted directly',       DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],
  ['group_questions: delete xAnswered',                            DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],

  ['group_question_replies: select',                               DENY_ANON, sees('yReply'),      sees('xReply1', 'xReply2'), sees('xReply1', 'xReply2'), sees('xReply1', 'xReply2', 'yReply'), sees('xReply1', 'xReply2', 'yReply'), sees('xReply1', 'xReply2', 'yReply')],
  ['group_question_replies: insert a reply to xAnswered directly', DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],
  ["group_question_replies: update the answer's body",             DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],
  ['group_question_replies: delete the answer',                    DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          err(400, '23514', 'new row for relation "group_questions" violates check constraint "answered_questions_have_an_answer"')],

  ['group_question_events: select',                                DENY_ANON, sees(),              sees(),                sees(...xQuestions),    sees(...xQuestions, 'yQuestion'), sees(...xQuestions, 'yQuestion'), sees(...xQuestions, 'yQuestion')],
  ['group_question_events: insert a forged event',                 DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          ONE],
  ['group_question_events: update history',                        DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          DENY],
  ['group_question_events: delete history',                        DENY_ANON, DENY,                DENY,                  DENY,                   DENY,                          DENY,                          DENY],

  ['group_faqs: select',                                           DENY_ANON, sees(),              sees('xFaq'),          sees('xFaq'),           sees('xFaq'),                  sees('xFaq'),                  sees('xFaq')],
  ['group_faqs: insert an entry in X',                             DENY_ANON, RLS,                 RLS,                   ONE,                    ONE,                           ONE,                           ONE],
  ["group_faqs: update X's entry",                                 DENY_ANON, NONE,                NONE,                  ONE,                    ONE,                           ONE,                           ONE],
  ["group_faqs: delete X's entry",                                 DENY_ANON, NONE,                NONE,                  ONE,                    ONE,                           ONE,                           ONE],

  ['canned_replies: select',                                       DENY_ANON, sees(),              sees(),                sees(...xShared, '稍等查询'), sees(...xShared, '张的私人'),   sees(),                        sees(...xShared, '稍等查询', '张的私人')],
  ['canned_replies: insert a shared reply in Y',                   DENY_ANON, RLS,                 RLS,                   RLS,                    ONE,                           RLS,                           ONE],
  ['canned_replies: insert a personal reply of butler1',           DENY_ANON, RLS,                 RLS,                   ONE,                    RLS,                           RLS,                           ONE],
  ["canned_replies: update X's shared 已收到",                      DENY_ANON, NONE,                NONE,                  ONE,                    ONE,                           NONE,                          ONE],
  ["canned_replies: delete butler1's personal reply",              DENY_ANON, NONE,                NONE,                  ONE,                    NONE,                          NONE,                          ONE],

  ['holidays: select 2026-10-10',                                  DENY_ANON, sees('2026-10-10'),  sees('2026-10-10'),    sees('2026-10-10'),     sees('2026-10-10'),            sees('2026-10-10'),            sees('2026-10-10')],
  ['holidays: insert 2026-12-31 off',                              DENY_ANON, RLS,                 RLS,                   RLS,                    RLS,                           ONE,                           ONE],
  ['holidays: update 2026-10-10 to off',                           DENY_ANON, NONE,                NONE,                  NONE,                   NONE,                          ONE,                           ONE],
  ['holidays: delete 2026-10-10',                                  DENY_ANON, NONE,                NONE,                  NONE,                   NONE,                          ONE,                           ONE],

  ['rpc: ask_question in X',                                       DENY_ANON, MEMBERS_ONLY,        OK,                    OK,                     OK,                            MEMBERS_ONLY,                  DENY],
  ['rpc: ask_question in Y',                                       DENY_ANON, OK,                  MEMBERS_ONLY,          MEMBERS_ONLY,           OK,                            MEMBERS_ONLY,                  DENY],
  ['rpc: reply_to_question(xAnswered)',                            DENY_ANON, NOT_FOUND,           OK,                    OK,                     OK,                            forbidden('只有本群的创业管家和提问人可以回复'), DENY],
  ['rpc: mark_answer(yReply)',                                     DENY_ANON, BUTLERS_ONLY('标记答案'), NOT_FOUND,        NOT_FOUND,              OK,                            BUTLERS_ONLY('标记答案'),        DENY],
  ['rpc: accept_answer(xAnswered)',                                DENY_ANON, NOT_FOUND,           OK,                    ASKER_ONLY_ACCEPT,      ASKER_ONLY_ACCEPT,             ASKER_ONLY_ACCEPT,             DENY],
  ['rpc: reopen_question(xAnswered)',                              DENY_ANON, NOT_FOUND,           OK,                    ASKER_ONLY_REOPEN,      ASKER_ONLY_REOPEN,             ASKER_ONLY_REOPEN,             DENY],
  ['rpc: close_question(xAnswered)',                               DENY_ANON, NOT_FOUND,           BUTLERS_ONLY('关闭问题'), OK,                   OK,                            BUTLERS_ONLY('关闭问题'),        DENY],
  ['rpc: claim_question(yQuestion)',                               DENY_ANON, BUTLERS_ONLY('认领问题'), NOT_FOUND,        NOT_FOUND,              OK,                            BUTLERS_ONLY('认领问题'),        DENY],
  ['rpc: assign_question(yQuestion → butler1, not a butler of Y)', DENY_ANON, BUTLERS_ONLY('转交问题'), NOT_FOUND,        NOT_FOUND,              err(400, '22023', '只能转交给本群的创业管家'), BUTLERS_ONLY('转交问题'), DENY],
  ['rpc: create_faq_from_question(xAnswered)',                     DENY_ANON, NOT_FOUND,           BUTLERS_ONLY('加入常见问题'), OK,               OK,                            BUTLERS_ONLY('加入常见问题'),    DENY],
  ["rpc: convert_message_to_question(worker2's seeded message, already a question)", DENY_ANON, err(500, 'P0002', '找不到这条消息'), BUTLERS_ONLY('把消息转为提问'), OK, OK, err(500, 'P0002', '找不到这条消息'), DENY],
  ['rpc: suggest_faq(X, 补贴)',                                    DENY_ANON, sees(),              sees('xFaq'),          sees('xFaq'),           sees('xFaq'),                  sees('xFaq'),                  DENY],
  ['rpc: butler_queue',                                            DENY_ANON, sees(),              sees(),                sees(),                 sees('yQuestion'),             sees(),                        sees()],
  ['rpc: desk_summary(X)',                                         DENY_ANON, BUTLERS_ONLY('查看问答统计'), BUTLERS_ONLY('查看问答统计'), sees('X'), sees('X'),                   sees('X'),                     SIGN_IN],
  ['private: rpc butler_on_duty',                                  NO_FUNCTION('butler_on_duty'), NO_FUNCTION('butler_on_duty'), NO_FUNCTION('butler_on_duty'), NO_FUNCTION('butler_on_duty'), NO_FUNCTION('butler_on_duty'), NO_FUNCTION('butler_on_duty'), NO_FUNCTION('butler_on_duty')],
  ['private: rpc run_question_desk_jobs',                          NO_FUNCTION('run_question_desk_jobs'), NO_FUNCTION('run_question_desk_jobs'), NO_FUNCTION('run_question_desk_jobs'), NO_FUNCTION('run_question_desk_jobs'), NO_FUNCTION('run_question_desk_jobs'), NO_FUNCTION('run_question_desk_jobs'), NO_FUNCTION('run_question_desk_jobs')],
]

// ---------------------------------------------------------------------------------------------------
// running it
// ---------------------------------------------------------------------------------------------------

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

describe('question desk access matrix', () => {
  it('covers select, insert, update and delete of every question-desk table', () => {
    const covered = new Set(matrix.map(([name]) => `${probes[name].object} ${probes[name].action}`))
    for (const table of ['group_duty_shifts', 'group_questions', 'group_question_replies', 'group_question_events', 'group_faqs', 'canned_replies', 'holidays']) {
      for (const action of ['select', 'insert', 'update', 'delete']) expect(covered).toContain(`table ${table} ${action}`)
    }
    expect(new Set(matrix.map(([name]) => name)).size).toBe(Object.keys(probes).length)
  })

  describeMatrix(probes, matrix, () => ({ p, data }))
})

// ---------------------------------------------------------------------------------------------------
// what a malicious member would try beyond the matrix
// ---------------------------------------------------------------------------------------------------

describe('a malicious member', () => {
  it('cannot read another group\'s questions by id, replies by question, or FAQ through suggest_faq', async () => {
    const q = await p.workerB.from('group_questions').select('id').eq('id', ids.yQuestion)
    expect(q.data).toEqual([])
    const r = await p.workerB.from('group_question_replies').select('id').eq('question_id', ids.yQuestion)
    expect(r.data).toEqual([])
    const s = await p.workerA.rpc('suggest_faq', { group_id: ids.X, q: '一次性创业补贴' })
    expect(s.data).toEqual([])
  })

  it('cannot move a shift into a group they do not manage, nor put themselves on duty', async () => {
    const moved = await p.workerB.from('group_duty_shifts').update({ butler_id: people.worker2 }, { count: 'exact' }).eq('id', ids.xShift)
    expect({ error: moved.error, count: moved.count }).toEqual({ error: null, count: 0 })
    const self = await p.butlerX.from('group_duty_shifts').update({ butler_id: people.worker2 }).eq('id', ids.xShift)
    expect({ status: self.status, code: self.error?.code, message: self.error?.message }).toEqual({
      status: 400, code: '22023', message: '值班人必须是本群的创业管家',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('cannot ask with a malformed group id or a huge title; nothing is written', async () => {
    const bad = await p.workerB.rpc('ask_question', { group_id: 'not-a-uuid', title: '问' })
    expect(bad.error?.code).toBe('22P02')
    const huge = await p.workerB.rpc('ask_question', { group_id: ids.X, title: '问'.repeat(10_000) })
    expect({ status: huge.status, code: huge.error?.code, message: huge.error?.message }).toEqual({
      status: 400, code: '22023', message: '问题标题应为1到80个字',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('cannot write a canned reply that is both personal and shared', async () => {
    const both = await p.butlerX.from('canned_replies').insert({ owner_id: people.butler1, group_id: ids.X, title: '两者', body: '既私有又共享' })
    expect({ status: both.status, code: both.error?.code }).toEqual({ status: 400, code: '23514' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})
