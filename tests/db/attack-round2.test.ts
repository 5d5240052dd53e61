/**
 * Attack round 2: what a malicious signed-in member tries against the groups, question desk, posts and
 * project-lead work, through supabase-js as the personas. Each test names the attack; the ones that
 * found a hole came first as failing tests and are fixed by migrations 202612023100xx.
 *
 * Personas and the seed (tests/support/personas.ts): group X has butlerX and butlerY as butlers and
 * workerB as a member; group Y has butlerY alone; workerA is in no group. The seed's project lead of
 * workerB is assigned to butlerY.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'
import type { Json } from '../../src/services/supabase/database.types'

const msgs = {
  xPublished: '31000000-0000-4000-8000-000000000001', // X, workerB, published
  xPending: '31000000-0000-4000-8000-000000000002', // X, workerB, pending its check
  yPublished: '31000000-0000-4000-8000-000000000003', // Y, butlerY, published
} as const
const yQuestion = '32000000-0000-4000-8000-000000000001' // Y, asked by butlerY (Y has no other member)

const FIXTURES = `
  insert into public.group_messages (id, group_id, seq, rev, sender_id, kind, body, status, payload_hash, published_at, created_at)
  values ('${msgs.xPublished}', '${groups.X}', 101, 101, '00000000-0000-4000-8000-000000000012', 'text', '公开的消息', 'published', 'f', now(), now()),
         ('${msgs.xPending}', '${groups.X}', 102, 102, '00000000-0000-4000-8000-000000000012', 'text', '待审核的秘密消息', 'pending', 'f', null, now()),
         ('${msgs.yPublished}', '${groups.Y}', 101, 101, '00000000-0000-4000-8000-000000000003', 'text', 'Y群的消息', 'published', 'f', now(), now());
  insert into private.group_message_counters (group_id, last_value) values ('${groups.X}', 102), ('${groups.Y}', 101)
  on conflict (group_id) do update set last_value = excluded.last_value;
  insert into private.group_message_checks (message_id) values ('${msgs.xPending}');
  insert into public.group_questions (id, group_id, asker_id, title, body, due_at)
  values ('${yQuestion}', '${groups.Y}', '00000000-0000-4000-8000-000000000003', 'Y群的问题', '只有Y群能看', now() + interval '1 day');
  insert into public.profile_contacts (user_id, phone) values ('00000000-0000-4000-8000-000000000012', '13800000012')
  on conflict (user_id) do nothing;
`

let be: TestBackend
let p: Personas
let data: DataSnapshot
const untyped = (c: unknown) => c as SupabaseClient

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  await be.db.exec(FIXTURES)
  data = await snapshotData(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

/** The first row of a query as the superuser, its values as text (ids, codes) or JSON. */
const first = async (sql: string, params: unknown[] = []) => (await be.db.query(sql, params)).rows[0] as Record<string, string>
const count = async (sql: string, params: unknown[] = []) => Number((await first(`select count(*)::int as n from (${sql}) x`, params)).n)

describe('reading another group through embeds, RPC arguments and filters', () => {
  it('embeds group_messages / group_questions from readable tables show only what the policies allow', async () => {
    const viaGroups = await untyped(p.workerB).from('groups').select('id, group_messages(id, body), group_questions(id, title)')
    expect(viaGroups.error).toBeNull()
    const bodies = (viaGroups.data as { group_messages: { body: string }[]; group_questions: { title: string }[] }[])
      .flatMap((g) => [...g.group_messages.map((m) => m.body), ...g.group_questions.map((q) => q.title)])
    expect(bodies).not.toContain('Y群的消息')
    expect(bodies).not.toContain('Y群的问题')
    // From a profile the worker may read (a butler of their group, who is also Y's butler).
    const viaProfiles = await untyped(p.workerB).from('profiles').select('id, group_messages(id, body, group_id)').eq('id', p.ids.butlerY)
    expect(viaProfiles.error).toBeNull()
    const seen = (viaProfiles.data as { group_messages: { group_id: string }[] }[]).flatMap((r) => r.group_messages)
    expect(seen.every((m) => m.group_id === groups.X)).toBe(true)
    // butlerX (a butler of X only) cannot reach the pending message of X nor anything of Y by embed.
    const butler = await untyped(p.butlerX).from('groups').select('id, group_messages(body)')
    const butlerBodies = (butler.data as { group_messages: { body: string }[] }[]).flatMap((g) => g.group_messages.map((m) => m.body))
    expect(butlerBodies).not.toContain('待审核的秘密消息')
    expect(butlerBodies).not.toContain('Y群的消息')
  })

  it('RPCs naming another group answer nothing or refuse', async () => {
    const page = await p.workerB.rpc('group_messages', { group_id: groups.Y })
    expect(page.data).toEqual([])
    const poll = await p.workerB.rpc('group_messages', { group_id: groups.Y, since: 0 })
    expect(poll.data).toEqual([])
    const faq = await p.workerB.rpc('suggest_faq', { group_id: groups.Y, q: 'Y群的问题' })
    expect(faq.data).toEqual([])
    const flagged = await p.workerB.rpc('flagged_group_messages', { group_id: groups.X })
    expect(flagged.error?.code).toBe('42501')
    const summary = await p.workerB.rpc('desk_summary', { for_group: groups.Y })
    expect(summary.error?.code).toBe('42501')
    const reply = await p.workerB.rpc('reply_to_question', { question_id: yQuestion, body: '插一句' })
    expect(reply.error?.code).toBe('P0002')
    const convert = await p.butlerX.rpc('convert_message_to_question', { message_id: msgs.yPublished })
    expect(convert.error?.code).toBe('P0002')
    const read = await p.workerB.rpc('mark_group_read', { group_id: groups.Y, up_to_rev: 1 })
    expect(read.error?.code).toBe('P0002')
    expect(await count(`select 1 from public.group_question_replies where question_id = $1`, [yQuestion])).toBe(0)
  })

  it('full_profiles and profiles filters do not reach people outside the caller\'s groups', async () => {
    // workerA is in no group: no co-member's name, no full profile of anyone else.
    const names = await p.workerA.from('profiles').select('id').in('id', [p.ids.workerB])
    expect(names.data).toEqual([])
    const full = await untyped(p.butlerX).rpc('full_profiles').eq('id', p.ids.workerA)
    expect(full.data ?? []).toEqual([])
  })
})

describe('content check: a pending message is seen by its sender only, on every path', () => {
  it('not through the table, the polling RPC, my_groups or a conversion to a question', async () => {
    for (const who of [p.butlerX, p.butlerY] as const) {
      const table = await who.from('group_messages').select('id').eq('id', msgs.xPending)
      expect(table.data).toEqual([])
      const poll = await who.rpc('group_messages', { group_id: groups.X, since: 0, max_rows: 100 })
      expect((poll.data ?? []).map((m) => m.id)).not.toContain(msgs.xPending)
      const mine = await who.rpc('my_groups')
      expect((mine.data ?? []).map((g) => g.last_message_body)).not.toContain('待审核的秘密消息')
    }
    // Refused without its content (ids are client-chosen uuids a butler never sees for a pending message).
    const convert = await p.butlerX.rpc('convert_message_to_question', { message_id: msgs.xPending })
    expect(convert.error?.code).toBe('22023')
    expect(JSON.stringify(convert)).not.toContain('待审核的秘密消息')
    expect(await count(`select 1 from public.group_questions where source_message_id = $1`, [msgs.xPending])).toBe(0)
  })

  it('a pending message that @-mentions a butler tells nobody until it is published', async () => {
    const id = '31000000-0000-4000-8000-0000000000a1'
    const sent = await p.workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body: '@管家 秘密内容', mentions: [p.ids.butlerX] })
    expect(sent.error).toBeNull()
    expect(sent.data?.status).toBe('pending')
    expect(await count(`select 1 from public.notifications where kind = 'group_mention' and body like '%秘密内容%'`)).toBe(0)
  })
})

describe('forged states', () => {
  it('direct writes to state columns are refused', async () => {
    const role = await p.workerB.from('group_members').update({ role: 'butler' }).eq('user_id', p.ids.workerB).select()
    expect(role.error?.code).toBe('42501')
    const upsert = await p.workerB.from('group_members').upsert({ group_id: groups.Y, user_id: p.ids.workerB, role: 'butler' }).select()
    expect(upsert.error?.code).toBe('42501')
    const readMark = await p.workerB.from('group_members').update({ last_read_rev: 999999 }).eq('user_id', p.ids.workerB).select()
    expect(readMark.error?.code).toBe('42501')
    const msg = await p.workerB.from('group_messages').update({ status: 'published', seq: 1 }).eq('id', msgs.xPending).select()
    expect(msg.error?.code).toBe('42501')
    const ins = await p.workerB.from('group_messages').insert({
      id: '31000000-0000-4000-8000-0000000000b1', group_id: groups.X, seq: 999, rev: 999, sender_id: p.ids.workerB,
      kind: 'text', body: '伪造', status: 'published', payload_hash: 'x', published_at: new Date().toISOString(),
    }).select()
    expect(ins.error?.code).toBe('42501')
    const q = await p.butlerY.from('group_questions').update({ status: 'accepted' }).eq('id', yQuestion).select()
    expect(q.error?.code).toBe('42501')
    const lead = await p.workerB.from('project_leads').update({ status: 'closed' }).eq('worker_id', p.ids.workerB).select()
    expect(lead.error?.code).toBe('42501')
    expect(await count(`select 1 from public.group_members where user_id = $1 and role = 'butler'`, [p.ids.workerB])).toBe(0)
    expect(await count(`select 1 from public.group_messages where id = $1 and status = 'pending'`, [msgs.xPending])).toBe(1)
  })

  it('read marks never run ahead of the group\'s latest rev', async () => {
    const res = await p.workerB.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 9_000_000_000_000 })
    expect(res.error).toBeNull()
    expect(res.data).toBe(102)
  })

  it('nobody withdraws another person\'s message, nor sees a pending one by trying', async () => {
    const other = await p.butlerX.rpc('withdraw_group_message', { id: msgs.xPublished })
    expect(other.error?.code).toBe('42501')
    const pending = await p.butlerX.rpc('withdraw_group_message', { id: msgs.xPending })
    expect(pending.error?.code).toBe('P0002')
    expect(await count(`select 1 from public.group_messages where withdrawn_at is not null`)).toBe(0)
  })

  it('only the asker accepts or reopens, and only a butler\'s reply becomes the answer', async () => {
    const asked = await p.workerB.rpc('ask_question', { group_id: groups.X, title: '补贴什么时候发？' })
    expect(asked.error).toBeNull()
    const qid = asked.data!.id
    const own = await p.workerB.rpc('reply_to_question', { question_id: qid, body: '我自己答：明天', as_answer: true })
    expect(own.error?.code).toBe('42501')
    const plain = await p.workerB.rpc('reply_to_question', { question_id: qid, body: '补充一下' })
    expect(plain.error).toBeNull()
    const markOwn = await p.butlerX.rpc('mark_answer', { reply_id: plain.data!.id })
    expect(markOwn.error?.code).toBe('22023')
    const answer = await p.butlerX.rpc('reply_to_question', { question_id: qid, body: '月底发放', as_answer: true })
    expect(answer.error).toBeNull()
    const acceptByButler = await p.butlerX.rpc('accept_answer', { question_id: qid })
    expect(acceptByButler.error?.code).toBe('42501')
    const reopenByButler = await p.butlerY.rpc('reopen_question', { question_id: qid, body: '再问' })
    expect(reopenByButler.error?.code).toBe('42501')
    expect((await first(`select status from public.group_questions where id = $1`, [qid])).status).toBe('answered')
  })

  it('a join request cannot be approved by the person who asked; a rotated code lets nobody in', async () => {
    const asked = await p.workerA.rpc('request_to_join_group', { group_id: groups.Y })
    expect(asked.error).toBeNull()
    const self = await p.workerA.rpc('decide_join_request', { request_id: asked.data!.id, approve: true })
    expect(self.error?.code).toBe('P0002')
    const code = (await first(`select invite_code from public.groups where id = $1`, [groups.X])).invite_code
    const rotated = await p.butlerX.rpc('rotate_invite_code', { group_id: groups.X })
    expect(rotated.error).toBeNull()
    const join = await p.workerA.rpc('join_group_by_code', { code })
    expect(join.error?.code).toBe('P0002')
    expect(await count(`select 1 from public.group_members where user_id = $1`, [p.ids.workerA])).toBe(0)
  })

  it('a removed member cannot walk back in with the invite code they already know', async () => {
    const code = (await first(`select invite_code from public.groups where id = $1`, [groups.X])).invite_code
    const removed = await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.workerB, reason: '发广告' })
    expect(removed.error).toBeNull()
    const back = await p.workerB.rpc('join_group_by_code', { code })
    expect(back.error?.code).toBe('42501')
    expect(back.error?.message).toMatch(/^[\u4e00-\u9fa5]/)
    expect(await count(`select 1 from public.group_members where group_id = $1 and user_id = $2`, [groups.X, p.ids.workerB])).toBe(0)
    // Removed, they read nothing of the group any more, polling included.
    const poll = await p.workerB.rpc('group_messages', { group_id: groups.X, since: 0 })
    expect(poll.data).toEqual([])
    // They may still ask to join; a butler's approval lets them in, and then the code works again.
    const req = await p.workerB.rpc('request_to_join_group', { group_id: groups.X, note: '我错了' })
    expect(req.error).toBeNull()
    const ok = await p.butlerX.rpc('decide_join_request', { request_id: req.data!.id, approve: true })
    expect(ok.error).toBeNull()
    expect(await count(`select 1 from public.group_members where group_id = $1 and user_id = $2`, [groups.X, p.ids.workerB])).toBe(1)
    const left = await p.workerB.rpc('leave_group', { group_id: groups.X })
    expect(left.error).toBeNull()
    const again = await p.workerB.rpc('join_group_by_code', { code })
    expect(again.error).toBeNull()
  })

  it('a new invite code does not let a removed member back in either', async () => {
    await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.workerB })
    const code = (await p.butlerX.rpc('rotate_invite_code', { group_id: groups.X })).data as string
    const back = await p.workerB.rpc('join_group_by_code', { code })
    expect(back.error?.code).toBe('42501')
  })
})

describe('project leads', () => {
  it('a worker reads only their own leads; another butler none', async () => {
    const worker = await p.workerA.from('project_leads').select('id')
    expect(worker.data).toEqual([])
    const other = await p.butlerX.from('project_leads').select('id')
    expect(other.data).toEqual([])
    const rpc = await p.butlerX.rpc('my_project_leads')
    expect(rpc.data).toEqual([])
  })

  it('a butler made a worker again loses the leads assigned to them, and the workers\' phone numbers', async () => {
    const demoted = await p.admin.rpc('set_user_role', { user_id: p.ids.butlerY, new_role: 'worker' })
    expect(demoted.error).toBeNull()
    const me = await p.fresh('butlerY')
    const rows = await me.from('project_leads').select('id, worker_id')
    expect(rows.data).toEqual([])
    const rpc = await me.rpc('my_project_leads')
    expect(rpc.error).toBeNull()
    expect((rpc.data ?? []).map((l) => l.worker_phone)).not.toContain('13800000012')
    expect(rpc.data).toEqual([])
    const lead = (await first(`select id from public.project_leads where worker_id = $1`, [p.ids.workerB])).id
    const moved = await me.rpc('set_project_lead_status', { lead_id: lead, status: 'closed' })
    expect(moved.error?.code).toBe('P0002')
    expect(await count(`select 1 from public.project_leads where id = $1 and status = 'open'`, [lead])).toBe(1)
  })
})

describe('posts: sanitizer and region visibility', () => {
  const save = async (body_doc: Json) => {
    const res = await p.butlerX.rpc('save_post', { post: { kind: 'policy', title: '测试正文', region: '全市', body_doc } })
    if (res.error) throw new Error(`save_post: ${res.error.code} ${res.error.message}`)
    return (await first(`select body_doc from public.posts where id = $1`, [res.data!.id])).body_doc as unknown
  }

  it('odd casing, whitespace, control characters, protocol-relative and entity-encoded links lose the link', async () => {
    const hrefs = [
      'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:alert(1)',
      '//evil.example/x', 'https:/\\evil.example', '&#106;avascript:alert(1)', 'data:text/html,<script>1</script>',
      'https://ok.example/"onmouseover="x', 'vbscript:x', 'https://ok.example/a b',
    ]
    const doc = await save(hrefs.map((href) => ({ name: 'p', children: [{ name: 'A', attrs: { href }, children: [{ type: 'text', text: 'x' }] }] })))
    const kept = JSON.stringify(doc)
    expect(kept).not.toMatch(/href/)
  })

  it('dangerous and unknown elements and every attribute but href/src/alt are dropped, however they are spelled', async () => {
    const doc = await save([
      { name: 'SCRIPT', children: [{ type: 'text', text: 'alert(1)' }] },
      { name: ' svg ', children: [{ name: 'a', attrs: { href: 'https://ok.example' } }] },
      { name: '\tscript', children: [{ type: 'text', text: 't' }] },
      { name: 'ſcript', children: [{ type: 'text', text: 's' }] },
      { name: 'p', attrs: { onclick: 'x', style: 'background:url(javascript:1)', 'on\u0441lick': 'y' }, children: [{ type: 'text', text: 'p' }] },
      { name: 'img', attrs: { src: 'https://evil.example/x.png', onerror: 'x' } },
      { name: 'img', attrs: { src: 'data:image/svg+xml,<svg onload=alert(1)>' } },
      { type: 'node', name: 'iframe', attrs: { src: 'https://evil.example' } },
    ])
    const text = JSON.stringify(doc)
    expect(text).not.toMatch(/script"|svg|iframe|onclick|style|onerror|evil|data:|"img"/i)
    for (const node of doc as { name?: string; attrs?: Record<string, unknown> }[]) {
      if (node.name) expect(['p', 'h2', 'h3', 'ul', 'ol', 'li', 'strong', 'b', 'em', 'a', 'img', 'br']).toContain(node.name)
      if (node.attrs) expect(Object.keys(node.attrs).every((k) => ['href', 'src', 'alt'].includes(k))).toBe(true)
    }
  })

  it('huge, deep and overlong bodies are refused in Chinese with 22023 and nothing is written', async () => {
    const before = await count(`select 1 from public.posts`)
    let deep: Json = { type: 'text', text: 'x' }
    for (let i = 0; i < 200; i++) deep = { name: 'p', children: [deep] }
    const wide = Array.from({ length: 30000 }, () => ({ type: 'text', text: 'x' }))
    const big = [{ type: 'text', text: '字'.repeat(300000) }]
    for (const body_doc of [[deep], wide, big] as Json[]) {
      const res = await p.butlerX.rpc('save_post', { post: { kind: 'policy', title: '大正文', body_doc } })
      expect(res.error?.code).toBe('22023')
      expect(res.error?.message).toMatch(/^[\u4e00-\u9fa5]/)
    }
    expect(await count(`select 1 from public.posts`)).toBe(before)
  })

  it('drafts, scheduled posts and other districts\' posts do not come back through search, tags, bookmarks or the feed', async () => {
    const draft = await p.butlerX.rpc('save_post', { post: { kind: 'policy', title: '草稿秘密补贴', tags: ['补贴'], region: '全市' } })
    expect(draft.error).toBeNull()
    const other = await p.butlerX.rpc('save_post', { post: { kind: 'policy', title: '崂山区秘密补贴', tags: ['补贴'], region: '崂山区' } })
    await p.butlerX.rpc('publish_post', { post_id: other.data!.id })
    const later = await p.butlerX.rpc('save_post', { post: { kind: 'policy', title: '明年秘密补贴', tags: ['补贴'], region: '全市' } })
    await p.butlerX.rpc('publish_post', { post_id: later.data!.id, at: new Date(Date.now() + 86400_000).toISOString() })
    // workerB lives in 四方区 (seed); none of the three is theirs to read.
    const hidden = [draft.data!.id, other.data!.id, later.data!.id]
    const search = await p.workerB.rpc('search_post_hits', { q: '秘密补贴' })
    expect(search.error).toBeNull()
    expect((search.data ?? []).map((h) => h.id).filter((id) => hidden.includes(id))).toEqual([])
    const feed = await p.workerB.rpc('feed_posts', { tag: '补贴' }).select('id')
    expect((feed.data ?? []).map((r) => r.id).filter((id) => hidden.includes(id))).toEqual([])
    const cursor = await p.workerB.rpc('feed_posts', { after_pinned: true, after_published_at: '9999-01-01T00:00:00Z', after_id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' }).select('id')
    expect((cursor.data ?? []).map((r) => r.id).filter((id) => hidden.includes(id))).toEqual([])
    const revisions = await p.workerB.from('post_revisions').select('id').in('post_id', hidden)
    expect(revisions.data).toEqual([])
    // Bookmarking one by id writes nothing that would show it.
    await p.workerB.from('post_bookmarks').insert({ post_id: other.data!.id, user_id: p.ids.workerB })
    const marks = await p.workerB.rpc('my_bookmarks')
    expect((marks.data ?? []).map((r) => r.id).filter((id) => hidden.includes(id))).toEqual([])
  })
})

describe('huge inputs to the group RPCs', () => {
  it('10,000 mentions, a megabyte body and a 10,000-character note are refused in Chinese, nothing written', async () => {
    const before = await count(`select 1 from public.group_messages`)
    const mentions = Array.from({ length: 10000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    const many = await p.workerB.rpc('send_group_message', { id: '31000000-0000-4000-8000-0000000000c1', group_id: groups.X, kind: 'text', body: 'hi', mentions })
    expect(many.error?.code).toBe('22023')
    const huge = await p.workerB.rpc('send_group_message', { id: '31000000-0000-4000-8000-0000000000c2', group_id: groups.X, kind: 'text', body: '字'.repeat(1_000_000) })
    expect(huge.error).not.toBeNull()
    expect(huge.status).toBeGreaterThanOrEqual(400)
    const note = await p.workerA.rpc('request_to_join_group', { group_id: groups.Y, note: '长'.repeat(10000) })
    expect(note.error?.code).toBe('22023')
    const question = await p.workerB.rpc('ask_question', { group_id: groups.X, title: '问'.repeat(100000) })
    expect(question.error?.code).toBe('22023')
    expect(await count(`select 1 from public.group_messages`)).toBe(before)
  })
})

describe('content check: a checked chat image cannot be swapped for other bytes', () => {
  const jpeg = (fill: number) => {
    const b = Buffer.alloc(64, fill)
    Buffer.from('ffd8ffe0', 'hex').copy(b)
    return b
  }
  async function sendCheckedImage() {
    const name = `${groups.X}/${p.ids.workerB}/${'a'.repeat(8)}-${Date.now()}.jpg`
    const up = await p.workerB.storage.from('chat-images').upload(name, jpeg(1), { contentType: 'image/jpeg' })
    expect(up.error).toBeNull()
    const o = await first(`select version from storage.objects where bucket_id = 'chat-images' and name = $1`, [name])
    const v = await p.service.rpc('record_upload_verdict', {
      p_owner: p.ids.workerB, p_bucket: 'chat-images', p_name: name, p_version: o.version, p_passed: true, p_kind: 'image/jpeg',
      p_reason: null as unknown as string,
    })
    expect(v.error).toBeNull()
    const id = '31000000-0000-4000-8000-0000000000d1'
    const sent = await p.workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'image', media_path: name })
    expect(sent.error).toBeNull()
    // WeChat's verdict on these bytes: pass; the message is published.
    const fin = await p.service.rpc('finish_content_checks', { outcomes: [{ message_id: id, outcome: 'pass' }] })
    expect(fin.error).toBeNull()
    return name
  }
  const bytesOf = async (name: string) => Buffer.from(await (await p.butlerX.storage.from('chat-images').download(name)).data!.arrayBuffer())

  it('overwriting (upsert) the object of a sent message is refused; members still get the checked bytes', async () => {
    const name = await sendCheckedImage()
    const swap = await p.workerB.storage.from('chat-images').upload(name, jpeg(2), { contentType: 'image/jpeg', upsert: true })
    expect(swap.error).not.toBeNull()
    expect((await bytesOf(name)).equals(jpeg(1))).toBe(true)
  })

  it('deleting it and uploading other bytes under the same name is refused', async () => {
    const name = await sendCheckedImage()
    const removed = await p.workerB.storage.from('chat-images').remove([name])
    expect(removed.error).toBeNull()
    const again = await p.workerB.storage.from('chat-images').upload(name, jpeg(3), { contentType: 'image/jpeg' })
    expect(again.error).not.toBeNull()
    expect((await p.butlerX.storage.from('chat-images').download(name)).error).not.toBeNull()
  })
})

describe('withdrawn messages keep nothing of what was said', () => {
  it('the payload hash of a withdrawn message does not let other members confirm a guessed body', async () => {
    const { createHash } = await import('node:crypto')
    const id = '31000000-0000-4000-8000-0000000000e1'
    const body = '我的手机号13912345678'
    const sent = await p.workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body })
    expect(sent.error).toBeNull()
    const w = await p.workerB.rpc('withdraw_group_message', { id })
    expect(w.error).toBeNull()
    const guess = createHash('md5').update([groups.X, 'text', body, '', '', ''].join('\x1f')).digest('hex')
    expect(sent.data!.payload_hash).toBe(guess) // the hash is exactly this digest of the payload
    const seen = (await p.butlerX.rpc('group_messages', { group_id: groups.X, since: 0, max_rows: 100 })).data ?? []
    const row = seen.find((m) => m.id === id)
    expect(row).toMatchObject({ body: '', withdrawn_at: expect.any(String) })
    expect(row!.payload_hash).not.toBe(guess)
    const table = await p.butlerX.from('group_messages').select('payload_hash').eq('id', id)
    expect(table.data![0].payload_hash).not.toBe(guess)
    // Withdrawing again is still the same; a retried send is still that one message; the id still cannot
    // be reused for something else.
    expect((await p.workerB.rpc('withdraw_group_message', { id })).error).toBeNull()
    const retry = await p.workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body })
    expect(retry.data).toMatchObject({ id, body: '', payload_hash: 'withdrawn' })
    const reuse = await p.workerB.rpc('send_group_message', { id, group_id: groups.X, kind: 'text', body: '别的内容' })
    expect(reuse.error?.code).toBe('23505')
  })
})

describe('flooding the question desk', () => {
  it('an asker cannot write follow-ups without end: the 21st in a minute is refused in Chinese and not written', async () => {
    const asked = await p.workerB.rpc('ask_question', { group_id: groups.X, title: '刷屏测试' })
    expect(asked.error).toBeNull()
    const qid = asked.data!.id
    for (let i = 0; i < 20; i++) {
      const r = await p.workerB.rpc('reply_to_question', { question_id: qid, body: `追问${i}` })
      expect(r.error).toBeNull()
    }
    const flood = await p.workerB.rpc('reply_to_question', { question_id: qid, body: '再来一条' })
    expect(flood.error).toMatchObject({ code: 'P0001', message: '回复太频繁，请稍后再试' })
    expect(await count(`select 1 from public.group_question_replies where question_id = $1`, [qid])).toBe(20)
  })
})

describe('content check: questions and follow-ups wait for it like chat messages', () => {
  it('a member\'s question is read by the asker and the butlers only, until it passed; a flagged follow-up stays hidden', async () => {
    await be.db.query(`insert into public.group_members (group_id, user_id) values ($1, $2)`, [groups.X, p.ids.workerA])
    const asked = await p.workerB.rpc('ask_question', { group_id: groups.X, title: '违规内容的提问', body: '群里其他人不应先看到' })
    expect(asked.error).toBeNull()
    const qid = asked.data!.id
    const seenBy = async (c: typeof p.workerA) => ((await c.from('group_questions').select('id').eq('id', qid)).data ?? []).length
    expect(await seenBy(p.workerA)).toBe(0)
    expect(await seenBy(p.workerB)).toBe(1)
    expect(await seenBy(p.butlerX)).toBe(1)
    const embed = await untyped(p.workerA).from('groups').select('group_questions(title)').eq('id', groups.X)
    expect(JSON.stringify(embed.data)).not.toContain('违规内容')

    // The checker claims it like a message, as text, and WeChat passes it.
    const claimed = await p.service.rpc('claim_content_checks', { batch_size: 50 })
    expect(claimed.error).toBeNull()
    const row = (claimed.data ?? []).find((r) => r.message_id === qid)
    expect(row).toMatchObject({ kind: 'text', sender_id: p.ids.workerB, group_id: groups.X, body: '违规内容的提问\n群里其他人不应先看到' })
    expect((await p.service.rpc('finish_content_checks', { outcomes: [{ message_id: qid, outcome: 'pass' }] })).data).toBe(1)
    expect(await seenBy(p.workerA)).toBe(1)

    // A follow-up the check refuses stays with its author and the butlers.
    const reply = await p.workerB.rpc('reply_to_question', { question_id: qid, body: '追问里的违规内容' })
    expect(reply.error).toBeNull()
    await p.service.rpc('claim_content_checks', { batch_size: 50 })
    expect((await p.service.rpc('finish_content_checks', { outcomes: [{ message_id: reply.data!.id, outcome: 'risky' }] })).data).toBe(1)
    const replies = async (c: typeof p.workerA) => ((await c.from('group_question_replies').select('body').eq('question_id', qid)).data ?? []).map((r) => r.body)
    expect(await replies(p.workerA)).toEqual([])
    expect(await replies(p.butlerX)).toEqual(['追问里的违规内容'])
    expect(await replies(p.workerB)).toEqual(['追问里的违规内容'])
  })

  it('an unchecked answered question is not offered to others as a similar question', async () => {
    await be.db.query(`insert into public.group_members (group_id, user_id) values ($1, $2)`, [groups.X, p.ids.workerA])
    const asked = await p.workerB.rpc('ask_question', { group_id: groups.X, title: '开店补贴怎么申请' })
    await p.butlerX.rpc('reply_to_question', { question_id: asked.data!.id, body: '到街道办理', as_answer: true })
    const offered = await p.workerA.rpc('suggest_faq', { group_id: groups.X, q: '开店补贴怎么申请' })
    expect((offered.data ?? []).map((s) => s.id)).not.toContain(asked.data!.id)
  })

  it('butlers\' writing and questions made from checked chat messages are published at once', async () => {
    const converted = await p.butlerX.rpc('convert_message_to_question', { message_id: msgs.xPublished })
    expect(converted.error).toBeNull()
    expect(converted.data!.check_status).toBe('published')
    const reply = await p.butlerX.rpc('reply_to_question', { question_id: converted.data!.id, body: '管家的回复' })
    expect(reply.data!.check_status).toBe('published')
    expect(await count(`select 1 from private.group_question_checks`)).toBe(0)
  })
})
