/**
 * Group messages (issue 10) through supabase-js as the personas: sending (idempotent on the client's id),
 * the content check's effect on who sees what, withdrawing within 2 minutes, paging by seq and polling by
 * rev, unread counts from server-side read state, @-mentions of butlers, image and voice messages (only
 * verified uploads), flagged messages for the group's butlers. The checker itself (WeChat) is tested in
 * tests/functions/content-check.test.ts; here its outcomes are recorded through its service-role RPCs.
 *
 * The seed: group X holds three published messages (seq/rev 1–3); workerB's read mark is 2, so one unread.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import type { Client } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  data = await snapshotData(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

interface Res {
  status: number
  error: { code?: string; message: string } | null
}
const refusal = (res: Res) => ({ status: res.status, code: res.error?.code ?? null, message: res.error?.message ?? null })

interface Message {
  id: string
  seq: number
  rev: number
  status: string
  body: string
  kind: string
  media_path: string | null
  withdrawn_at: string | null
  sender_id: string
}

async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await be.db.query(sql, params)).rows as Record<string, unknown>[]
}

const send = (c: Client, args: { id?: string; group_id?: string; kind?: string; body?: string; media_path?: string | null; duration_seconds?: number | null; mentions?: string[] }) =>
  c.rpc('send_group_message', {
    id: args.id ?? randomUUID(),
    group_id: args.group_id ?? groups.X,
    kind: args.kind ?? 'text',
    body: args.body ?? '',
    media_path: args.media_path ?? null,
    duration_seconds: args.duration_seconds ?? null,
    mentions: args.mentions ?? [],
  } as never)

const page = async (c: Client, args: { before?: number; since?: number; max_rows?: number } = {}) => {
  const res = await c.rpc('group_messages', { group_id: groups.X, ...args })
  expect(res.error).toBeNull()
  return res.data as unknown as Message[]
}

/** What the checker records for text (service role). */
const judge = (id: string, outcome: 'pass' | 'risky' | 'review', label = 100) =>
  p.service.rpc('finish_content_checks', { outcomes: [{ message_id: id, outcome, label }] })

const unread = async (c: Client) => {
  const res = await c.rpc('my_groups')
  expect(res.error).toBeNull()
  return Object.fromEntries((res.data as { group_id: string; unread_count: number }[]).map((g) => [g.group_id, g.unread_count]))
}

describe('sending and the content check', () => {
  it("a member's message is the author's at once, everyone's once it passes the check", async () => {
    const sent = await send(p.workerB, { body: '请问创业担保贷款要什么条件？' })
    expect(sent.error).toBeNull()
    const m = sent.data as unknown as Message
    expect(m).toMatchObject({ status: 'pending', seq: 4, rev: 4, sender_id: p.ids.workerB })
    expect((await page(p.workerB)).map((x) => x.id)).toContain(m.id)
    expect((await page(p.butlerX)).map((x) => x.id)).not.toContain(m.id)

    expect((await judge(m.id, 'pass')).data).toBe(1)
    const seen = (await page(p.butlerX)).find((x) => x.id === m.id)
    expect(seen).toMatchObject({ status: 'published', seq: 4, rev: 5 })
  })

  it("a butler's message is published at once", async () => {
    const sent = await send(p.butlerX, { body: '明天上午孵化基地开放日，欢迎报名。' })
    expect(sent.data).toMatchObject({ status: 'published' })
    expect((await page(p.workerB))[0]).toMatchObject({ body: '明天上午孵化基地开放日，欢迎报名。' })
    expect(await rows(`select * from private.group_message_checks`)).toEqual([])
  })

  it('flagged content stays hidden from others, the author still sees it, and the butlers are told and list it', async () => {
    const m = (await send(p.workerB, { body: '加微信领补贴，先交500元手续费' })).data as unknown as Message
    expect((await judge(m.id, 'risky', 20006)).error).toBeNull()
    expect((await page(p.workerB)).find((x) => x.id === m.id)).toMatchObject({ status: 'flagged' })
    expect((await page(p.butlerX)).map((x) => x.id)).not.toContain(m.id)
    const [n] = await rows(`select title from public.notifications where recipient_id = $1 and kind = 'group_message_flagged'`, [p.ids.butlerX])
    expect(n).toEqual({ title: '兴隆路街道创业群有消息待处理' })

    const flagged = await p.butlerX.rpc('flagged_group_messages', { group_id: groups.X })
    expect(flagged.data).toEqual([expect.objectContaining({ id: m.id, sender_name: '陈秀英', body: '加微信领补贴，先交500元手续费', suggest: 'risky', label: 20006 })])
    expect(refusal(await p.workerB.rpc('flagged_group_messages', { group_id: groups.X }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以查看未通过检查的消息',
    })

    // A butler erases it; it never reaches the group.
    expect((await p.butlerX.rpc('decide_flagged_message', { id: m.id, publish: false })).error).toBeNull()
    const [after] = await rows(`select status, body, withdrawn_at is not null as erased from public.group_messages where id = $1`, [m.id])
    expect(after).toEqual({ status: 'flagged', body: '', erased: true })
    expect(refusal(await p.butlerX.rpc('decide_flagged_message', { id: m.id, publish: true })).code).toBe('P0001')
  })

  it('a message the check sends to review can be released by a butler, and then reaches everyone', async () => {
    const m = (await send(p.workerB, { body: '有人知道贷款利息怎么算吗' })).data as unknown as Message
    await judge(m.id, 'review')
    expect((await p.butlerY.rpc('decide_flagged_message', { id: m.id, publish: true })).error).toBeNull()
    expect((await page(p.butlerX)).find((x) => x.id === m.id)).toMatchObject({ status: 'published' })
  })

  it('a verdict recorded twice (two checkers, a retried call) applies once', async () => {
    const m = (await send(p.workerB, { body: '谢谢管家' })).data as unknown as Message
    expect((await judge(m.id, 'pass')).data).toBe(1)
    expect((await judge(m.id, 'risky')).data).toBe(0)
    expect((await page(p.butlerX)).find((x) => x.id === m.id)).toMatchObject({ status: 'published' })
  })
})

describe('a retried send is one message', () => {
  it('the same id and payload again answers with the same message; nothing new is written', async () => {
    const id = randomUUID()
    const a = await send(p.workerB, { id, body: '重发测试' })
    const b = await send(p.workerB, { id, body: ' 重发测试 ' })
    expect(a.error).toBeNull()
    expect(b.data).toEqual(a.data)
    const [{ n }] = await rows(`select count(*)::int as n from public.group_messages where id = $1`, [id])
    expect(n).toBe(1)
  })

  it('a different payload, or another person, under the same id is refused', async () => {
    const id = randomUUID()
    await send(p.workerB, { id, body: '第一次' })
    const before = await data.fingerprint()
    expect(refusal(await send(p.workerB, { id, body: '第二次' }))).toEqual({ status: 409, code: '23505', message: '消息编号重复，请重新发送' })
    expect(refusal(await send(p.butlerX, { id, body: '第一次' }))).toEqual({ status: 409, code: '23505', message: '消息编号重复，请重新发送' })
    expect(await data.fingerprint()).toBe(before)
  })

  it('two sends of one id at the same moment make one message', async () => {
    const id = randomUUID()
    const results = await Promise.all([send(p.workerB, { id, body: '同时发送' }), send(p.workerB, { id, body: '同时发送' })])
    expect(results.map((r) => r.error)).toEqual([null, null])
    const [{ n }] = await rows(`select count(*)::int as n from public.group_messages where id = $1`, [id])
    expect(n).toBe(1)
    const [{ c }] = await rows(`select count(*)::int as c from private.group_message_checks where message_id = $1`, [id])
    expect(c).toBe(1)
  })

  it('a retry after the message was withdrawn is still that one message', async () => {
    const id = randomUUID()
    await send(p.workerB, { id, body: '发错了' })
    expect((await p.workerB.rpc('withdraw_group_message', { id })).error).toBeNull()
    const again = await send(p.workerB, { id, body: '发错了' })
    expect(again.data).toMatchObject({ id, body: '', withdrawn_at: expect.any(String) })
  })
})

describe('bad input is refused in Chinese and writes nothing', () => {
  const cases: [string, Parameters<typeof send>[1], { status: number; code: string; message: string }][] = [
    ['an empty text', { body: '   ' }, { status: 400, code: '22023', message: '消息不能为空' }],
    ['a text over 2000 characters', { body: '长'.repeat(2001) }, { status: 400, code: '22023', message: '消息最多2000个字，请分几条发送' }],
    ['an unknown kind', { kind: 'video', body: 'x' }, { status: 400, code: '22023', message: '不支持这种消息' }],
    ['a text with a file', { body: 'x', media_path: 'a/b/c.jpg' }, { status: 400, code: '22023', message: '文字消息不能带图片或语音' }],
    ['an image without a file', { kind: 'image' }, { status: 400, code: '22023', message: '请先上传文件再发送' }],
    ['a voice clip of 61 seconds', { kind: 'voice', media_path: 'x', duration_seconds: 61 }, { status: 400, code: '22023', message: '请先上传文件再发送' }],
    ['a mention of a worker', { body: '@陈秀英', mentions: ['00000000-0000-4000-8000-000000000012'] }, { status: 400, code: '22023', message: '只能@本群的创业管家' }],
    ['eleven mentions', { body: '@', mentions: Array.from({ length: 11 }, () => randomUUID()) }, { status: 400, code: '22023', message: '一条消息最多@10个人' }],
    ['a group the sender is not in', { group_id: '20000000-0000-4000-8000-000000000002', body: '你好' }, { status: 500, code: 'P0002', message: '找不到这个创业群' }],
    ['a group that does not exist', { group_id: '20000000-0000-4000-8000-0000000000ff', body: '你好' }, { status: 500, code: 'P0002', message: '找不到这个创业群' }],
  ]
  for (const [what, args, expected] of cases) {
    it(what, async () => {
      expect(refusal(await send(p.workerB, args))).toEqual(expected)
      expect(await data.fingerprint()).toBe(data.baseline)
    })
  }

  it('a malformed id or group id is refused by PostgreSQL', async () => {
    expect(refusal(await send(p.workerB, { id: 'not-a-uuid', body: 'x' })).code).toBe('22P02')
    expect(refusal(await send(p.workerB, { group_id: "'; drop table public.group_messages; --", body: 'x' })).code).toBe('22P02')
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('more than 30 messages a minute are refused', async () => {
    for (let i = 0; i < 30; i++) expect((await send(p.workerB, { body: `第${i}条` })).error).toBeNull()
    expect(refusal(await send(p.workerB, { body: '第31条' }))).toEqual({ status: 400, code: 'P0001', message: '发送太频繁，请稍后再试' })
  })
})

describe('withdrawing (撤回)', () => {
  it('the sender withdraws within 2 minutes: the row stays as withdrawn, body erased, and others see the change when polling', async () => {
    const m = (await send(p.butlerX, { body: '这条发错群了' })).data as unknown as Message
    const cursor = (await page(p.workerB))[0].rev
    const res = await p.butlerX.rpc('withdraw_group_message', { id: m.id })
    expect(res.data).toMatchObject({ id: m.id, body: '', withdrawn_at: expect.any(String), status: 'published' })
    const changes = await page(p.workerB, { since: cursor })
    expect(changes).toEqual([expect.objectContaining({ id: m.id, body: '', withdrawn_at: expect.any(String) })])
    // Twice is the same.
    expect((await p.butlerX.rpc('withdraw_group_message', { id: m.id })).error).toBeNull()
  })

  it('nobody else withdraws it, not even a butler; after 2 minutes the sender cannot either', async () => {
    const m = (await send(p.workerB, { body: '我的消息' })).data as unknown as Message
    await judge(m.id, 'pass')
    expect(refusal(await p.butlerX.rpc('withdraw_group_message', { id: m.id }))).toEqual({ status: 403, code: '42501', message: '只能撤回自己发送的消息' })
    expect(refusal(await p.workerA.rpc('withdraw_group_message', { id: m.id }))).toEqual({ status: 500, code: 'P0002', message: '找不到这条消息' })
    await be.db.query(`update public.group_messages set created_at = now() - interval '121 seconds' where id = $1`, [m.id])
    expect(refusal(await p.workerB.rpc('withdraw_group_message', { id: m.id }))).toEqual({ status: 400, code: 'P0001', message: '消息发出超过2分钟，不能撤回' })
  })

  it('a pending message withdrawn is never checked and shows as withdrawn to everyone', async () => {
    const m = (await send(p.workerB, { body: '撤回待审核的消息' })).data as unknown as Message
    await p.workerB.rpc('withdraw_group_message', { id: m.id })
    expect(await rows(`select * from private.group_message_checks where message_id = $1`, [m.id])).toEqual([])
    expect((await page(p.butlerX)).find((x) => x.id === m.id)).toMatchObject({ body: '', withdrawn_at: expect.any(String) })
  })
})

describe('paging and polling', () => {
  it('the latest page newest first, older pages by seq, new rows by rev', async () => {
    for (let i = 0; i < 5; i++) await send(p.butlerX, { body: `通知${i}` })
    const latest = await page(p.workerB, { max_rows: 3 })
    expect(latest.map((m) => m.seq)).toEqual([8, 7, 6])
    expect((await page(p.workerB, { before: 6, max_rows: 3 })).map((m) => m.seq)).toEqual([5, 4, 3])
    expect((await page(p.workerB, { before: 2 })).map((m) => m.seq)).toEqual([1])
    expect((await page(p.workerB, { since: 6 })).map((m) => m.rev)).toEqual([7, 8])
    expect(await page(p.workerB, { since: 8 })).toEqual([])
  })

  it('a message published late appears in its place by seq and is found by the since cursor', async () => {
    const m = (await send(p.workerB, { body: '晚到的消息' })).data as unknown as Message
    await send(p.butlerX, { body: '管家随后的消息' })
    const cursor = Math.max(...(await page(p.butlerX)).map((x) => x.rev))
    await judge(m.id, 'pass')
    const news = await page(p.butlerX, { since: cursor })
    expect(news).toEqual([expect.objectContaining({ id: m.id, seq: 4, status: 'published' })])
  })

  it('more than 100 rows are never answered at once, and both cursors at once are refused', async () => {
    expect(refusal(await p.workerB.rpc('group_messages', { group_id: groups.X, before: 3, since: 1 }))).toEqual({
      status: 400, code: '22023', message: '不能同时按 before 和 since 读取',
    })
    expect((await page(p.workerB, { max_rows: 100000 })).length).toBeLessThanOrEqual(100)
  })

  it("nobody reads another group's messages, by RPC or table", async () => {
    expect(await (async () => (await p.workerB.rpc('group_messages', { group_id: groups.Y })).data)()).toEqual([])
    expect((await p.workerB.from('group_messages').select('id').eq('group_id', groups.Y)).data).toEqual([])
    expect((await p.workerA.from('group_messages').select('id')).data).toEqual([])
  })
})

describe('unread counts and read state', () => {
  it('count messages of others after my mark, agree across devices, and never go backwards or past the end', async () => {
    expect(await unread(p.workerB)).toEqual({ [groups.X]: 1 })
    await send(p.butlerX, { body: '新通知一' })
    await send(p.butlerX, { body: '新通知二' })
    await send(p.workerB, { body: '我自己的消息不算未读' })
    expect(await unread(p.workerB)).toEqual({ [groups.X]: 3 })

    // Read on one device (up to rev 4) ...
    expect((await p.workerB.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 4 })).data).toBe(4)
    // ... and the other device, a new client of the same person, sees the same count.
    const otherDevice = await p.fresh('workerB')
    expect(await unread(otherDevice)).toEqual({ [groups.X]: 1 })
    // An older device reporting late does not move it back; a forged cursor stops at the last rev.
    expect((await otherDevice.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 1 })).data).toBe(4)
    expect((await otherDevice.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 9_000_000_000 })).data).toBe(6)
    expect(await unread(p.workerB)).toEqual({ [groups.X]: 0 })
    // A new message after that counts again.
    await send(p.butlerY, { body: '又一条' })
    expect(await unread(p.workerB)).toEqual({ [groups.X]: 1 })
  })

  it('pending, flagged and withdrawn messages of others are not unread; a message that passes its check late is', async () => {
    await p.workerB.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 3 })
    const pending = (await send(p.workerB, { body: '待审核' })).data as unknown as Message
    expect(await unread(p.butlerX)).toEqual({ [groups.X]: 0 })
    await judge(pending.id, 'pass')
    expect(await unread(p.butlerX)).toEqual({ [groups.X]: 1 })
    const flagged = (await send(p.workerB, { body: '违规' })).data as unknown as Message
    await judge(flagged.id, 'risky')
    expect(await unread(p.butlerX)).toEqual({ [groups.X]: 1 })
  })

  it('my_groups lists the latest message I may see, with its sender, for each of my groups', async () => {
    const res = await p.butlerY.rpc('my_groups')
    expect(res.data).toEqual([
      expect.objectContaining({ group_id: groups.X, my_role: 'butler', last_message_sender_name: '李管家', last_message_kind: 'text', unread_count: 0 }),
      expect.objectContaining({ group_id: groups.Y, my_role: 'butler', last_message_body: '辽源路街道创业群开通了，欢迎大家。' }),
    ])
    expect((await p.workerA.rpc('my_groups')).data).toEqual([])
    expect(refusal(await p.workerA.rpc('mark_group_read', { group_id: groups.X, up_to_rev: 3 }))).toEqual({ status: 500, code: 'P0002', message: '找不到这个创业群' })
    expect(refusal(await p.workerB.rpc('mark_group_read', { group_id: groups.X, up_to_rev: -1 })).code).toBe('22023')
  })
})

describe('@-mentions of butlers', () => {
  it("a butler mentioned in a member's message is told once it is published, not before", async () => {
    const m = (await send(p.workerB, { body: '@李管家 请问补贴多久到账？', mentions: [p.ids.butlerX] })).data as unknown as Message
    const told = () => rows(`select title, body, payload->>'message_id' as message_id from public.notifications where recipient_id = $1 and kind = 'group_mention'`, [p.ids.butlerX])
    expect(await told()).toEqual([])
    await judge(m.id, 'pass')
    expect(await told()).toEqual([{ title: '陈秀英在兴隆路街道创业群@了您', body: '@李管家 请问补贴多久到账？', message_id: m.id }])
  })

  it("a butler's mention of another butler is told at once; a flagged message tells nobody", async () => {
    await send(p.butlerX, { body: '@张管家 明天你值班', mentions: [p.ids.butlerY] })
    expect(await rows(`select kind from public.notifications where recipient_id = $1`, [p.ids.butlerY])).toEqual([{ kind: 'group_mention' }])
    const m = (await send(p.workerB, { body: '@张管家 违规', mentions: [p.ids.butlerY] })).data as unknown as Message
    await judge(m.id, 'risky')
    expect((await rows(`select kind from public.notifications where recipient_id = $1 order by id`, [p.ids.butlerY])).map((r) => r.kind)).toEqual(['group_mention', 'group_message_flagged'])
  })
})

describe('images and voice: only verified uploads of one\'s own, in the group\'s folder', () => {
  const jpeg = () => {
    const b = Buffer.alloc(64, 1)
    Buffer.from('ffd8ffe0', 'hex').copy(b)
    return b
  }
  const mp3 = () => {
    const b = Buffer.alloc(64, 0)
    Buffer.from('494433', 'hex').copy(b) // "ID3"
    return b
  }
  async function uploadVerified(c: Client, owner: string, bucket: string, name: string, bytes: Buffer, type: string, verified = true) {
    const up = await c.storage.from(bucket).upload(name, bytes, { contentType: type })
    expect(up.error).toBeNull()
    if (!verified) return
    const [o] = await rows(`select version from storage.objects where bucket_id = $1 and name = $2`, [bucket, name])
    const v = await p.service.rpc('record_upload_verdict', {
      p_owner: owner, p_bucket: bucket, p_name: name, p_version: o.version as string, p_passed: true,
      p_kind: type === 'audio/mpeg' ? 'audio/mpeg' : 'image/jpeg', p_reason: null as unknown as string,
    })
    expect(v.error).toBeNull()
  }

  it('an image uploaded under the group and verified is sent; members read the file; others cannot', async () => {
    const name = `${groups.X}/${p.ids.workerB}/${randomUUID()}.jpg`
    await uploadVerified(p.workerB, p.ids.workerB, 'chat-images', name, jpeg(), 'image/jpeg')
    const m = (await send(p.workerB, { kind: 'image', media_path: name })).data as unknown as Message
    expect(m).toMatchObject({ kind: 'image', media_path: name, status: 'pending' })
    expect((await p.butlerX.storage.from('chat-images').download(name)).error).toBeNull()
    expect((await p.workerA.storage.from('chat-images').download(name)).error).toMatchObject({ statusCode: '404' })
  })

  it('a voice clip in chat-voice with its duration is sent', async () => {
    const name = `${groups.X}/${p.ids.workerB}/${randomUUID()}.mp3`
    await uploadVerified(p.workerB, p.ids.workerB, 'chat-voice', name, mp3(), 'audio/mpeg')
    const m = await send(p.workerB, { kind: 'voice', media_path: name, duration_seconds: 12 })
    expect(m.data).toMatchObject({ kind: 'voice', duration_seconds: 12 })
    expect(refusal(await send(p.workerB, { kind: 'voice', media_path: name, duration_seconds: 61 })).message).toBe('语音消息需要1到60秒')
  })

  it("an unverified upload, another person's file and a file of another group are refused", async () => {
    const unverified = `${groups.X}/${p.ids.workerB}/${randomUUID()}.jpg`
    await uploadVerified(p.workerB, p.ids.workerB, 'chat-images', unverified, jpeg(), 'image/jpeg', false)
    expect(refusal(await send(p.workerB, { kind: 'image', media_path: unverified })).message).toBe('文件还没有通过校验，请重新上传')
    const theirs = `${groups.X}/${p.ids.butlerX}/${randomUUID()}.jpg`
    await uploadVerified(p.butlerX, p.ids.butlerX, 'chat-images', theirs, jpeg(), 'image/jpeg')
    expect(refusal(await send(p.workerB, { kind: 'image', media_path: theirs })).message).toBe('请先上传文件再发送')
    const otherGroup = `${groups.Y}/${p.ids.butlerY}/${randomUUID()}.jpg`
    await uploadVerified(p.butlerY, p.ids.butlerY, 'chat-images', otherGroup, jpeg(), 'image/jpeg')
    expect(refusal(await send(p.butlerY, { group_id: groups.X, kind: 'image', media_path: otherGroup })).message).toBe('请先上传文件再发送')
    // Nor can a member upload into a group they are not in.
    const up = await p.workerB.storage.from('chat-voice').upload(`${groups.Y}/${p.ids.workerB}/x.mp3`, mp3(), { contentType: 'audio/mpeg' })
    expect(up.error).toMatchObject({ statusCode: '403' })
  })

  it('chat-voice takes audio of at most 2 MB only', async () => {
    const big = await p.workerB.storage.from('chat-voice').upload(`${groups.X}/${p.ids.workerB}/big.mp3`, Buffer.alloc(2 * 1024 * 1024 + 1), { contentType: 'audio/mpeg' })
    expect(big.error).toMatchObject({ statusCode: '413' })
    const image = await p.workerB.storage.from('chat-voice').upload(`${groups.X}/${p.ids.workerB}/x.jpg`, jpeg(), { contentType: 'image/jpeg' })
    expect(image.error).toMatchObject({ statusCode: '415' })
  })
})
