/**
 * The question desk end to end through supabase-js as the people who use it: asking, ownership by the
 * duty roster, replies and answers, acceptance and asking again, closing, claiming and assigning, the
 * minute job (overdue, hand-over), the FAQ and suggestions while typing, canned replies, the butler's
 * queue and the per-group summary. Concurrency with two connections runs on PostgreSQL only.
 *
 * Group X: butler1 and butler2 are butlers, worker1 and worker2 members. Group Y: butler2 only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import { startTestBackend, type TestBackend } from '../support/backend'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'
import { count, desk, failure, groupsSql, one } from '../support/question-desk'
import { people } from '../support/clients'

let be: TestBackend
let p: Personas
let data: DataSnapshot

const X = desk.groupX
const Y = desk.groupY

beforeAll(async () => {
  be = await startTestBackend()
  // The seed's roster and canned replies would share butler1's time and lists with these tests' groups.
  await be.db.exec(`delete from public.group_duty_shifts; delete from public.canned_replies;`)
  await be.db.exec(
    groupsSql([
      { group: X, user: people.butler1, role: 'butler' },
      { group: X, user: people.butler2, role: 'butler' },
      { group: X, user: people.worker1, role: 'member' },
      { group: X, user: people.worker2, role: 'member' },
      { group: Y, user: people.butler2, role: 'butler' },
    ]),
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

/** A shift of `butler` in `group` from `fromMin` to `toMin` minutes relative to now (superuser). */
async function shift(group: string, butler: string, fromMin: number, toMin: number): Promise<string> {
  const r = await one<{ id: string }>(
    be,
    `insert into public.group_duty_shifts (group_id, butler_id, starts_at, ends_at)
     values ($1, $2, now() + make_interval(mins => $3), now() + make_interval(mins => $4)) returning id`,
    [group, butler, fromMin, toMin],
  )
  return r.id
}

async function ask(who: 'workerA' | 'workerB' = 'workerA', title = '一次性创业补贴怎么申请？', group: string = X) {
  const res = await p[who].rpc('ask_question', { group_id: group, title, body: '我去年开了早餐店，想问问补贴。' })
  expect(res.error).toBeNull()
  return res.data!
}

async function answer(questionId: string, who: 'butlerX' | 'butlerY' = 'butlerX', body = '带身份证和营业执照，在申报页提交即可。') {
  const res = await p[who].rpc('reply_to_question', { question_id: questionId, body, as_answer: true })
  expect(res.error).toBeNull()
  return res.data!
}

async function notificationsOf(person: string, kind: string) {
  const r = await be.db.query(
    `select title, body, link, push_template, push_status from public.notifications where recipient_id = $1 and kind = $2 order by id`,
    [person, kind],
  )
  return r.rows
}

describe('asking', () => {
  it('a member asks; the butler on duty by the roster owns it and is told; it is due after 2 working hours', async () => {
    await shift(X, people.butler2, -60, 60 * 24)
    const q = await ask()
    expect(q).toMatchObject({ group_id: X, asker_id: people.worker1, status: 'open', owner_id: people.butler2, overdue: false })
    const due = await one<{ same: boolean }>(
      be,
      `select due_at = private.add_working_minutes(created_at, 120) as same from public.group_questions where id = $1`,
      [q.id],
    )
    expect(due.same).toBe(true)
    const told = await notificationsOf(people.butler2, 'question_assigned')
    expect(told).toEqual([
      expect.objectContaining({ title: '新问题待解答：一次性创业补贴怎么申请？', link: `/subpackages/groups/pages/question/index?id=${q.id}` }),
    ])
    const history = await be.db.query(`select kind, to_status, owner_id from public.group_question_events where question_id = $1 order by id`, [q.id])
    expect(history.rows).toEqual([
      { kind: 'asked', to_status: 'open', owner_id: null },
      { kind: 'assigned', to_status: 'open', owner_id: people.butler2 },
    ])
  })

  it('with nobody on the roster, the group butler with the fewest open questions owns it', async () => {
    const first = await ask()
    expect(first.owner_id).toBe(people.butler1) // no open questions either: the first to join
    const second = await ask('workerB', '创业担保贷款要什么材料？')
    expect(second.owner_id).toBe(people.butler2)
    const third = await ask('workerA', '场地租金补贴怎么领？')
    expect(third.owner_id).toBe(people.butler1)
  })

  it('private.butler_on_duty answers the roster at a given moment', async () => {
    await shift(X, people.butler1, 0, 60)
    await shift(X, people.butler2, 60, 120)
    const at = async (min: number) =>
      (await one<{ b: string }>(be, `select private.butler_on_duty($1, now() + make_interval(mins => $2)) as b`, [X, min])).b
    expect(await at(30)).toBe(people.butler1)
    expect(await at(90)).toBe(people.butler2)
  })

  it('a person outside the group cannot ask there, and nothing is written', async () => {
    const res = await p.workerA.rpc('ask_question', { group_id: Y, title: '我能在别的群提问吗？' })
    expect(failure(res)).toEqual({ status: 403, code: '42501', message: '只有本群成员可以在群里提问' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('an empty title, a too long title or body are refused with 22023 and nothing is written', async () => {
    for (const [title, body, message] of [
      ['   ', '', '问题标题应为1到80个字'],
      ['问'.repeat(81), '', '问题标题应为1到80个字'],
      ['正常标题', '长'.repeat(2001), '问题说明最多2000个字'],
    ]) {
      const res = await p.workerA.rpc('ask_question', { group_id: X, title, body })
      expect(failure(res)).toEqual({ status: 400, code: '22023', message })
    }
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})

describe('turning a chat message into a question', () => {
  const message = async (id: string, sender: string, body: string, status = 'published', seq = 1) => {
    await be.db.query(
      `insert into public.group_messages (id, group_id, seq, rev, sender_id, kind, body, status, payload_hash, published_at)
       values ($1, $2, $5, $5, $3, 'text', $4, $6, md5($4), case when $6 = 'published' then now() end)`,
      [id, X, sender, body, seq, status],
    )
    return id
  }

  it('a butler converts a member\'s message: the sender asks it, the butler on duty owns it, the sender is told', async () => {
    const id = await message('50000000-0000-4000-8000-000000000001', people.worker2, '营业执照怎么办理？\n我在兴隆路租了门面。')
    await shift(X, people.butler2, -10, 600)
    const res = await p.butlerX.rpc('convert_message_to_question', { message_id: id })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ asker_id: people.worker2, source_message_id: id, title: '营业执照怎么办理？', status: 'open', owner_id: people.butler2 })
    expect(await notificationsOf(people.worker2, 'question_from_message')).toHaveLength(1)
    // Again (a retry, or the other butler): the same question, nothing new.
    const again = await p.butlerY.rpc('convert_message_to_question', { message_id: id, title: '另一个标题' })
    expect(again.data!.id).toBe(res.data!.id)
    expect(await count(be, `select 1 from public.group_questions where source_message_id = $1`, [id])).toBe(1)
  })

  it('a member cannot convert messages; a pending, a butler\'s or another group\'s message cannot be converted', async () => {
    const mine = await message('50000000-0000-4000-8000-000000000002', people.worker2, '我的问题', 'published', 2)
    expect(failure(await p.workerB.rpc('convert_message_to_question', { message_id: mine }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以把消息转为提问',
    })
    const pending = await message('50000000-0000-4000-8000-000000000003', people.worker1, '还在审核', 'pending', 3)
    expect(failure(await p.butlerX.rpc('convert_message_to_question', { message_id: pending }))).toEqual({
      status: 400, code: '22023', message: '只有已发出、未撤回的消息可以转为提问',
    })
    const butlers = await message('50000000-0000-4000-8000-000000000004', people.butler2, '管家的通知', 'published', 4)
    expect(failure(await p.butlerX.rpc('convert_message_to_question', { message_id: butlers }))).toEqual({
      status: 400, code: '22023', message: '创业管家的消息不能转为提问',
    })
    // butler2 is in X, but an outsider butler of Y alone would not see X's message at all:
    await be.db.query(`delete from public.group_members where group_id = $1 and user_id = $2`, [X, people.butler2])
    expect(failure(await p.butlerY.rpc('convert_message_to_question', { message_id: mine }))).toEqual({
      status: 500, code: 'P0002', message: '找不到这条消息',
    })
    expect(await count(be, `select 1 from public.group_questions`)).toBe(await count(be, `select 1 from test_snapshot.public__group_questions`))
  })
})

describe('answers', () => {
  it('a butler\'s reply is the first answer time and the asker is told; marking it the answer makes it 已解答 and pushes to the asker', async () => {
    const q = await ask()
    const reply = await p.butlerX.rpc('reply_to_question', { question_id: q.id, body: '请先准备营业执照。' })
    expect(reply.error).toBeNull()
    const afterReply = await one(be, `select status, first_answered_at is not null as answered_once from public.group_questions where id = $1`, [q.id])
    expect(afterReply).toEqual({ status: 'open', answered_once: true })
    expect(await notificationsOf(people.worker1, 'question_replied')).toHaveLength(1)

    const marked = await p.butlerX.rpc('mark_answer', { reply_id: reply.data!.id })
    expect(marked.error).toBeNull()
    expect(marked.data).toMatchObject({ status: 'answered', answer_reply_id: reply.data!.id })
    expect(await notificationsOf(people.worker1, 'question_answered')).toEqual([
      expect.objectContaining({ title: '您的提问有了解答：一次性创业补贴怎么申请？', body: '请先准备营业执照。', push_template: 'question_answered', push_status: 'pending' }),
    ])
  })

  it('the asker accepts the answer (已采纳) and can accept again harmlessly, but cannot ask again after accepting', async () => {
    const q = await ask()
    await answer(q.id)
    const accepted = await p.workerA.rpc('accept_answer', { question_id: q.id })
    expect(accepted.error).toBeNull()
    expect(accepted.data).toMatchObject({ status: 'accepted' })
    expect((await p.workerA.rpc('accept_answer', { question_id: q.id })).error).toBeNull()
    const again = await p.workerA.rpc('reopen_question', { question_id: q.id, body: '还有问题' })
    expect(failure(again)).toEqual({ status: 400, code: '22023', message: '只有已解答、未采纳的问题可以继续追问' })
    expect(await notificationsOf(people.butler1, 'question_accepted')).toHaveLength(1)
  })

  it('asking again re-opens the question with a new due time, keeps the follow-up as a reply and tells the owner', async () => {
    const q = await ask()
    await answer(q.id)
    await be.db.query(`update public.group_questions set due_at = now() - interval '1 day' where id = $1`, [q.id])
    const res = await p.workerA.rpc('reopen_question', { question_id: q.id, body: '营业执照还没下来怎么办？' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ status: 'open', answer_reply_id: null, reopened_count: 1, owner_id: people.butler1, overdue: false })
    expect(new Date(res.data!.due_at).getTime()).toBeGreaterThan(Date.now())
    expect(await notificationsOf(people.butler1, 'question_reopened')).toEqual([
      expect.objectContaining({ title: '提问人继续追问：一次性创业补贴怎么申请？', body: '营业执照还没下来怎么办？' }),
    ])
    expect(await count(be, `select 1 from public.group_question_replies where question_id = $1`, [q.id])).toBe(2)
  })

  it('only the asker accepts or asks again; only a butler of the group marks answers or closes', async () => {
    const q = await ask()
    const reply = await p.butlerX.rpc('reply_to_question', { question_id: q.id, body: '请带营业执照。' })
    expect(failure(await p.workerB.rpc('mark_answer', { reply_id: reply.data!.id }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以标记答案',
    })
    expect(failure(await p.admin.rpc('mark_answer', { reply_id: reply.data!.id }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以标记答案',
    })
    expect(failure(await p.workerA.rpc('close_question', { question_id: q.id }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以关闭问题',
    })
    await p.butlerX.rpc('mark_answer', { reply_id: reply.data!.id })
    expect(failure(await p.workerB.rpc('accept_answer', { question_id: q.id }))).toEqual({
      status: 403, code: '42501', message: '只有提问人可以采纳答案',
    })
    expect(failure(await p.butlerX.rpc('reopen_question', { question_id: q.id, body: '再问' }))).toEqual({
      status: 403, code: '42501', message: '只有提问人可以继续追问',
    })
  })

  it('forged transitions are refused: accepting an open question, marking an answer twice, the asker\'s own reply as answer', async () => {
    const q = await ask()
    expect(failure(await p.workerA.rpc('accept_answer', { question_id: q.id }))).toEqual({
      status: 400, code: '22023', message: '只有已解答的问题可以采纳',
    })
    const own = await p.workerA.rpc('reply_to_question', { question_id: q.id, body: '补充：店在兴隆路。' })
    expect(own.error).toBeNull()
    expect(failure(await p.butlerX.rpc('mark_answer', { reply_id: own.data!.id }))).toEqual({
      status: 400, code: '22023', message: '只有创业管家的回复可以标记为答案',
    })
    expect(failure(await p.workerA.rpc('reply_to_question', { question_id: q.id, body: '我自己答', as_answer: true }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以标记答案',
    })
    await answer(q.id)
    const second = await p.butlerY.rpc('reply_to_question', { question_id: q.id, body: '另一个答案', as_answer: true })
    expect(failure(second)).toEqual({ status: 400, code: '22023', message: '这个问题已有答案或已结束，不能再标记答案' })
    expect(await count(be, `select 1 from public.group_question_replies where question_id = $1`, [q.id])).toBe(2)
  })

  it('a closed question takes no replies, and closing tells the asker why', async () => {
    const q = await ask()
    const closed = await p.butlerY.rpc('close_question', { question_id: q.id, reason: '重复提问，见群公告' })
    expect(closed.error).toBeNull()
    expect(closed.data).toMatchObject({ status: 'closed' })
    expect(await notificationsOf(people.worker1, 'question_closed')).toEqual([
      expect.objectContaining({ body: '原因：重复提问，见群公告' }),
    ])
    expect(failure(await p.butlerX.rpc('reply_to_question', { question_id: q.id, body: '补充' }))).toEqual({
      status: 400, code: '22023', message: '问题已采纳或已关闭，不能再回复',
    })
  })
})

describe('claiming and assigning', () => {
  it('a butler claims an unassigned question; a question another butler owns cannot be claimed', async () => {
    const q = await ask()
    await be.db.query(`update public.group_questions set owner_id = null where id = $1`, [q.id])
    const claimed = await p.butlerY.rpc('claim_question', { question_id: q.id })
    expect(claimed.error).toBeNull()
    expect(claimed.data).toMatchObject({ owner_id: people.butler2 })
    expect(failure(await p.butlerX.rpc('claim_question', { question_id: q.id }))).toEqual({
      status: 400, code: 'P0001', message: '这个问题已由张管家负责，如需接手请让对方转交',
    })
  })

  it('a butler assigns to another butler of the group, who is told; never to a member', async () => {
    const q = await ask()
    expect(q.owner_id).toBe(people.butler1)
    expect(failure(await p.butlerX.rpc('assign_question', { question_id: q.id, butler_id: people.worker2 }))).toEqual({
      status: 400, code: '22023', message: '只能转交给本群的创业管家',
    })
    const res = await p.butlerX.rpc('assign_question', { question_id: q.id, butler_id: people.butler2, note: '贷款问题张管家更熟' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ owner_id: people.butler2 })
    expect(await notificationsOf(people.butler2, 'question_assigned')).toEqual([
      expect.objectContaining({ body: expect.stringMatching(/^贷款问题张管家更熟。测试甲群，请在/) }),
    ])
  })
})

describe('the minute job', () => {
  it('an overdue question is flagged once and every butler of the group is told once', async () => {
    const q = await ask()
    await be.db.query(`update public.group_questions set due_at = now() - interval '1 minute' where id = $1`, [q.id])
    const first = await one<{ r: unknown }>(be, `select private.run_question_desk_jobs() as r`)
    expect(JSON.parse(String(first.r))).toMatchObject({ overdue: 1 })
    expect((await one(be, `select overdue from public.group_questions where id = $1`, [q.id])).overdue).toBe(true)
    await be.db.query(`select private.run_question_desk_jobs()`)
    for (const butler of [people.butler1, people.butler2]) {
      expect(await notificationsOf(butler, 'question_overdue')).toEqual([
        expect.objectContaining({ title: '问题已超时：一次性创业补贴怎么申请？' }),
      ])
    }
    expect(await notificationsOf(people.worker1, 'question_overdue')).toEqual([])
  })

  it('when a shift ends its open questions pass to the next butler on duty with a hand-over note', async () => {
    const ending = await shift(X, people.butler1, -120, 30)
    const q = await ask()
    const answered = await ask('workerB', '已经答完的问题')
    await answer(answered.id)
    expect(q.owner_id).toBe(people.butler1)
    await shift(X, people.butler2, 30, 600)
    await be.db.query(`update public.group_duty_shifts set starts_at = now() - interval '3 hours', ends_at = now() - interval '1 minute' where id = $1`, [ending])
    await be.db.query(`update public.group_duty_shifts set starts_at = now() - interval '1 minute' where butler_id = $1`, [people.butler2])
    const r = await one<{ r: unknown }>(be, `select private.run_question_desk_jobs() as r`)
    expect(JSON.parse(String(r.r))).toMatchObject({ shifts_ended: 1, handed_over: 1 })
    expect((await one(be, `select owner_id from public.group_questions where id = $1`, [q.id])).owner_id).toBe(people.butler2)
    expect((await one(be, `select owner_id from public.group_questions where id = $1`, [answered.id])).owner_id).toBe(people.butler1)
    const note = await one<{ note: string; kind: string }>(
      be, `select kind, note from public.group_question_events where question_id = $1 order by id desc limit 1`, [q.id])
    expect(note.kind).toBe('handed_over')
    expect(note.note).toMatch(/^交接：李管家的值班已于.+结束，转交张管家$/)
    expect(await notificationsOf(people.butler2, 'question_assigned')).toHaveLength(1)
    // The job hands a shift over once.
    const again = await one<{ r: unknown }>(be, `select private.run_question_desk_jobs() as r`)
    expect(JSON.parse(String(again.r))).toMatchObject({ shifts_ended: 0, handed_over: 0 })
  })
})

describe('owners who leave', () => {
  it('the open questions of an owner who is no longer a butler of the group pass to the butler on duty', async () => {
    const q = await ask()
    expect(q.owner_id).toBe(people.butler1)
    await shift(X, people.butler2, -10, 600)
    await be.db.query(`update public.group_members set role = 'member' where group_id = $1 and user_id = $2`, [X, people.butler1])
    const r = await one<{ r: unknown }>(be, `select private.run_question_desk_jobs() as r`)
    expect(JSON.parse(String(r.r))).toMatchObject({ handed_over: 1 })
    expect((await one(be, `select owner_id from public.group_questions where id = $1`, [q.id])).owner_id).toBe(people.butler2)
    const note = await one<{ note: string }>(be, `select note from public.group_question_events where question_id = $1 order by id desc limit 1`, [q.id])
    expect(note.note).toBe('交接：李管家已不再担任本群创业管家')
  })
})

describe('the roster', () => {
  it('a butler of the group adds a shift for another butler of the group; overlapping shifts of one butler are refused', async () => {
    const start = new Date(Date.now() + 86_400_000)
    const end = new Date(start.getTime() + 8 * 3_600_000)
    const res = await p.butlerX
      .from('group_duty_shifts')
      .insert({ group_id: X, butler_id: people.butler2, starts_at: start.toISOString(), ends_at: end.toISOString() })
      .select('butler_id, created_by')
      .single()
    expect(res.error).toBeNull()
    expect(res.data).toEqual({ butler_id: people.butler2, created_by: people.butler1 })
    // Same butler, overlapping, in another group (by butler2, who is that group's butler)
    const overlap = await p.butlerY.from('group_duty_shifts').insert({
      group_id: Y, butler_id: people.butler2,
      starts_at: new Date(start.getTime() + 3_600_000).toISOString(), ends_at: new Date(end.getTime() + 3_600_000).toISOString(),
    })
    expect(overlap.status).toBe(400)
    expect(overlap.error).toMatchObject({ code: '23P01', message: expect.stringMatching(/^这位管家在这段时间已有值班（测试甲群，/) })
  })

  it('the person on duty must be a butler of the group', async () => {
    const res = await p.butlerX.from('group_duty_shifts').insert({
      group_id: X, butler_id: people.worker1, starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 3_600_000).toISOString(),
    })
    expect(failure(res)).toEqual({ status: 400, code: '22023', message: '值班人必须是本群的创业管家' })
  })

  it('a butler of another group cannot add to this group\'s roster; an admin can', async () => {
    const row = { group_id: Y, butler_id: people.butler2, starts_at: new Date().toISOString(), ends_at: new Date(Date.now() + 3_600_000).toISOString() }
    expect(failure(await p.butlerX.from('group_duty_shifts').insert(row))).toEqual({
      status: 403, code: '42501', message: 'new row violates row-level security policy for table "group_duty_shifts"',
    })
    expect((await p.admin.from('group_duty_shifts').insert(row)).error).toBeNull()
  })
})

describe('FAQ and suggestions', () => {
  it('a butler turns an answered question into an FAQ entry; 补贴 then suggests it to another member', async () => {
    const q = await ask()
    await answer(q.id)
    const faq = await p.butlerX.rpc('create_faq_from_question', { question_id: q.id, policy_post_id: '10000000-0000-4000-8000-000000000002' })
    expect(faq.error).toBeNull()
    expect(faq.data).toMatchObject({ group_id: X, question: '一次性创业补贴怎么申请？', answer: '带身份证和营业执照，在申报页提交即可。', needs_recheck: false })
    const again = await p.butlerX.rpc('create_faq_from_question', { question_id: q.id })
    expect(failure(again)).toEqual({ status: 409, code: '23505', message: '这个问题已经加入常见问题' })

    const s = await p.workerB.rpc('suggest_faq', { group_id: X, q: '补贴' })
    expect(s.error).toBeNull()
    expect(s.data).toEqual([{ kind: 'faq', id: faq.data!.id, question: '一次性创业补贴怎么申请？', answer: '带身份证和营业执照，在申报页提交即可。', matched: 1 }])
    const sentence = await p.workerB.rpc('suggest_faq', { group_id: X, q: '请问创业补贴在哪里申请' })
    expect(sentence.data!.map((r) => r.id)).toEqual([faq.data!.id])
  })

  it('answered questions are suggested too, open ones and other groups\' are not', async () => {
    const answered = await ask('workerA', '创业担保贷款利息怎么算')
    await answer(answered.id)
    // Offered to others once it passed the content check (attack round 2).
    expect((await p.service.rpc('finish_content_checks', { outcomes: [{ message_id: answered.id, outcome: 'pass' }] })).data).toBe(1)
    await ask('workerB', '担保贷款还没人回答')
    const s = await p.workerB.rpc('suggest_faq', { group_id: X, q: '担保贷款' })
    expect(s.data).toEqual([expect.objectContaining({ kind: 'question', id: answered.id, answer: '带身份证和营业执照，在申报页提交即可。' })])
    const outsider = await p.butlerY.rpc('suggest_faq', { group_id: Y, q: '担保贷款' })
    expect(outsider.data).toEqual([])
    const notMember = await p.workerA.rpc('suggest_faq', { group_id: Y, q: '担保贷款' })
    expect(notMember.data).toEqual([])
  })

  it('one character or punctuation suggests nothing; a huge text is refused with 22023', async () => {
    expect((await p.workerA.rpc('suggest_faq', { group_id: X, q: '补' })).data).toEqual([])
    expect((await p.workerA.rpc('suggest_faq', { group_id: X, q: '？？ ！' })).data).toEqual([])
    expect(failure(await p.workerA.rpc('suggest_faq', { group_id: X, q: '长'.repeat(501) }))).toEqual({
      status: 400, code: '22023', message: '输入内容过长，请精简后再试',
    })
  })

  it('editing the linked policy post flags the FAQ entry for re-checking; saving the entry clears it', async () => {
    const q = await ask()
    await answer(q.id)
    const faq = (await p.butlerX.rpc('create_faq_from_question', { question_id: q.id, policy_post_id: '10000000-0000-4000-8000-000000000002' })).data!
    await p.butlerX.from('posts').update({ body: '申请条件有调整：经营满3个月即可。' }).eq('id', '10000000-0000-4000-8000-000000000002')
    expect((await one(be, `select needs_recheck from public.group_faqs where id = $1`, [faq.id])).needs_recheck).toBe(true)
    const edit = await p.butlerY.from('group_faqs').update({ answer: '经营满3个月即可申请。' }).eq('id', faq.id).select('needs_recheck, updated_by').single()
    expect(edit.data).toEqual({ needs_recheck: false, updated_by: people.butler2 })
  })

  it('an FAQ entry cannot link a draft post, nor be made from an open question', async () => {
    const q = await ask()
    expect(failure(await p.butlerX.rpc('create_faq_from_question', { question_id: q.id }))).toEqual({
      status: 400, code: '22023', message: '只有已解答的问题可以加入常见问题',
    })
    const draft = await p.butlerX.from('group_faqs').insert({ group_id: X, question: '租金补贴？', answer: '见草稿', policy_post_id: '10000000-0000-4000-8000-000000000007' })
    expect(failure(draft)).toEqual({ status: 400, code: '22023', message: '只能关联已发布的资讯' })
  })
})

describe('canned replies', () => {
  it('a personal reply is its owner\'s alone; a shared one is seen by the group\'s butlers; workers can add neither', async () => {
    expect((await p.butlerX.from('canned_replies').insert({ owner_id: people.butler1, title: '我的', body: '稍等，我查一下。' })).error).toBeNull()
    expect((await p.butlerX.from('canned_replies').insert({ group_id: X, title: '材料清单', body: '身份证、营业执照、银行卡。' })).error).toBeNull()
    const mine = await p.butlerX.from('canned_replies').select('title').order('title')
    expect(mine.data).toEqual([{ title: '我的' }, { title: '材料清单' }])
    const colleague = await p.butlerY.from('canned_replies').select('title')
    expect(colleague.data).toEqual([{ title: '材料清单' }])
    expect((await p.workerA.from('canned_replies').select('title')).data).toEqual([])
    expect(failure(await p.workerA.from('canned_replies').insert({ owner_id: people.worker1, title: '我', body: '假装管家' }))).toEqual({
      status: 403, code: '42501', message: 'new row violates row-level security policy for table "canned_replies"',
    })
    expect(failure(await p.butlerX.from('canned_replies').insert({ owner_id: people.butler2, title: '代写', body: '替别人写' }))).toEqual({
      status: 403, code: '42501', message: 'new row violates row-level security policy for table "canned_replies"',
    })
  })
})

describe('the workbench', () => {
  it('butler_queue lists my open questions, overdue and unassigned ones in my groups, soonest due first', async () => {
    const mine = await ask('workerA', '我的问题')
    const others = await ask('workerB', '张管家的问题')
    const overdue = await ask('workerB', '超时的问题')
    const unassigned = await ask('workerA', '没人负责的问题')
    expect([mine.owner_id, others.owner_id]).toEqual([people.butler1, people.butler2])
    await be.db.query(`update public.group_questions set owner_id = $2, due_at = now() - interval '5 minutes' where id = $1`, [overdue.id, people.butler2])
    await be.db.query(`update public.group_questions set owner_id = null where id = $1`, [unassigned.id])
    const q = await p.butlerX.rpc('butler_queue')
    expect(q.error).toBeNull()
    expect(q.data!.map((r) => [r.title, r.is_mine, r.is_overdue])).toEqual([
      ['超时的问题', false, true],
      ['我的问题', true, false],
      ['没人负责的问题', false, false],
    ])
    expect(q.data![0]).toMatchObject({ group_name: '测试甲群', asker_name: '陈秀英', owner_name: '张管家' })
    expect((await p.workerA.rpc('butler_queue')).data).toEqual([])
  })

  it('desk_summary gives open, overdue and unassigned counts and this week\'s answer figures to the group\'s butlers only', async () => {
    const a = await ask()
    await ask('workerB', '第二个问题')
    await answer(a.id)
    const s = await p.butlerX.rpc('desk_summary', { for_group: X })
    expect(s.error).toBeNull()
    expect(s.data).toEqual([
      expect.objectContaining({ group_id: X, group_name: '测试甲群', open_count: 1, overdue_count: 0, unassigned_count: 0, asked_this_week: 2 }),
    ])
    // The one answered (within target); the other neither answered nor due yet: not counted either way.
    expect(Number(s.data![0].answered_within_target_this_week)).toBe(1)
    expect(typeof s.data![0].median_first_answer_minutes).toBe('number')
    const all = await p.butlerY.rpc('desk_summary')
    expect(all.data!.map((r) => r.group_name)).toEqual(expect.arrayContaining(['测试乙群', '测试甲群', '兴隆路街道创业群', '辽源路街道创业群']))
    expect(all.data).toHaveLength(4)
    expect(failure(await p.workerA.rpc('desk_summary', { for_group: X }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以查看问答统计',
    })
  })
})

// ---------------------------------------------------------------------------------------------------
// two butlers at once (PostgreSQL: two connections; PGlite has one)
// ---------------------------------------------------------------------------------------------------

describe.runIf(Boolean(process.env.DATABASE_URL) && !process.env.SUPABASE_URL)('two butlers at once', () => {
  /**
   * Runs `first` in a transaction as its person and holds it open, starts `second` on another
   * connection (which must wait on the question's row lock), then commits `first` and returns what
   * `second` ended with.
   */
  async function race(first: { sub: string; sql: string; params: unknown[] }, second: { sub: string; sql: string; params: unknown[] }) {
    const url = (be as unknown as { databaseUrl?: string }).databaseUrl ?? (await currentDatabaseUrl())
    const a = new pg.Client({ connectionString: url })
    const b = new pg.Client({ connectionString: url })
    await a.connect()
    await b.connect()
    const as = async (c: pg.Client, sub: string) => {
      await c.query('begin')
      await c.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`, [JSON.stringify({ sub, role: 'authenticated' })])
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
      // The second waits for the first's row lock.
      let waiting = 0
      for (let i = 0; i < 40 && waiting === 0; i++) {
        const r = await be.db.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)
        waiting = Number(r.rows[0]!.n)
        if (waiting === 0) await new Promise((r) => setTimeout(r, 50))
      }
      expect(waiting, 'the second call waits on the question lock').toBe(1)
      await a.query('commit')
      return await pending
    } finally {
      await a.end()
      await b.end()
    }
  }

  async function currentDatabaseUrl() {
    const r = await one<{ db: string }>(be, `select current_database() as db`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${r.db}`
    return url.toString()
  }

  it('two claims of one unassigned question: the first wins, the second is told who has it', async () => {
    const q = await ask()
    await be.db.query(`update public.group_questions set owner_id = null where id = $1`, [q.id])
    const outcome = await race(
      { sub: people.butler1, sql: `select public.claim_question($1)`, params: [q.id] },
      { sub: people.butler2, sql: `select public.claim_question($1)`, params: [q.id] },
    )
    expect(outcome).toBe('P0001 这个问题已由李管家负责，如需接手请让对方转交')
    expect((await one(be, `select owner_id from public.group_questions where id = $1`, [q.id])).owner_id).toBe(people.butler1)
    expect(await count(be, `select 1 from public.group_question_events where question_id = $1 and kind = 'claimed'`, [q.id])).toBe(1)
  })

  it('two butlers answering one question at once: one answer, one notification, the second is refused', async () => {
    const q = await ask()
    const outcome = await race(
      { sub: people.butler1, sql: `select public.reply_to_question($1, '答案一', true)`, params: [q.id] },
      { sub: people.butler2, sql: `select public.reply_to_question($1, '答案二', true)`, params: [q.id] },
    )
    expect(outcome).toBe('22023 这个问题已有答案或已结束，不能再标记答案')
    const row = await one(be, `select q.status, r.body from public.group_questions q join public.group_question_replies r on r.id = q.answer_reply_id where q.id = $1`, [q.id])
    expect(row).toEqual({ status: 'answered', body: '答案一' })
    expect(await count(be, `select 1 from public.group_question_replies where question_id = $1`, [q.id])).toBe(1)
    expect(await notificationsOf(people.worker1, 'question_answered')).toHaveLength(1)
  })
})

// ---------------------------------------------------------------------------------------------------
// the local scheduler runs the minute job as pg_cron does in production
// ---------------------------------------------------------------------------------------------------

describe('the local scheduler', () => {
  let sched: TestBackend

  beforeAll(async () => {
    sched = await startTestBackend({ scheduler: { intervalMs: 250 } })
  })
  afterAll(async () => {
    await sched?.close()
  })

  it('flags an overdue question and tells the butlers without anyone calling the job', async () => {
    // The seeded 兴隆路 group: worker2's answered question re-opened and past due.
    const q = '40000000-0000-4000-8000-000000000002'
    await sched.db.query(`update public.group_questions set status = 'open', answer_reply_id = null, due_at = now() - interval '1 minute' where id = $1`, [q])
    const deadline = Date.now() + 30_000
    let overdue = false
    while (!overdue && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200))
      overdue = (await sched.db.query(`select overdue from public.group_questions where id = $1`, [q])).rows[0]!.overdue === true
    }
    expect(overdue).toBe(true)
    const told = await sched.db.query(`select recipient_id from public.notifications where kind = 'question_overdue' order by recipient_id`)
    expect(told.rows.map((r) => r.recipient_id)).toEqual([people.butler1, people.butler2])
  })

  it('the pg_cron migration applies where pg_cron is missing and schedules nothing', async () => {
    const r = await sched.db.query(
      `select exists (select 1 from supabase_migrations.schema_migrations where version = '20261202163000') as applied,
              to_regnamespace('cron') is null as no_cron`,
    )
    expect(r.rows[0]).toEqual({ applied: true, no_cron: true })
  })
})
