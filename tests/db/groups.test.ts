/**
 * Groups and membership (issue 10) through supabase-js as the personas: joining by code, requests and
 * their decision, leaving, removal (and the removed person told), invite codes, creating groups, and the
 * privacy rule that follows membership (a butler reads the full profiles of the members of their groups,
 * and only those). Who may call what, cell by cell, is in groups-access.test.ts.
 *
 * The seed: group X (兴隆路, code XL2026) has butlerX and butlerY as butlers and workerB as a member;
 * group Y (辽源路, code LY2026) has butlerY alone; workerA is in no group.
 *
 * "Not found" is raised as P0002, which PostgREST answers with HTTP 500 (only P0001 maps to 400); the app
 * shows the Chinese message whatever the status (src/services/errors.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
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

async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await be.db.query(sql, params)).rows as Record<string, unknown>[]
}
const members = async (group: string) =>
  (await rows(`select user_id, role from public.group_members where group_id = $1 order by user_id`, [group])).map((r) => `${r.user_id}:${r.role}`)
const notificationsOf = async (person: string) =>
  rows(`select kind, title, body, push_template, payload from public.notifications where recipient_id = $1 order by id`, [person])

describe('joining with the invite code', () => {
  it('workerA joins group X with the code, written any way a person types it, and then reads the group and its people', async () => {
    const res = await p.workerA.rpc('join_group_by_code', { code: ' xl-2026 ' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: groups.X, name: '兴隆路街道创业群', district: '四方区兴隆路街道' })

    const mine = await p.workerA.from('groups').select('id, name')
    expect(mine.data).toEqual([{ id: groups.X, name: '兴隆路街道创业群' }])
    const people = await p.workerA.from('group_members').select('user_id, role').eq('group_id', groups.X).order('user_id')
    expect(people.data).toEqual([
      { user_id: p.ids.butlerX, role: 'butler' },
      { user_id: p.ids.butlerY, role: 'butler' },
      { user_id: p.ids.workerA, role: 'member' },
      { user_id: p.ids.workerB, role: 'member' },
    ])
    // Co-members' names, and nothing more of their profiles.
    const names = await p.workerA.from('profiles').select('id, display_name').eq('id', p.ids.workerB)
    expect(names.data).toEqual([{ id: p.ids.workerB, display_name: '陈秀英' }])
    const full = await p.workerA.rpc('full_profiles').select('id').eq('id', p.ids.workerB)
    expect(full.data).toEqual([])
  })

  it('joining again changes nothing', async () => {
    expect((await p.workerA.rpc('join_group_by_code', { code: 'XL2026' })).error).toBeNull()
    const once = await members(groups.X)
    expect((await p.workerA.rpc('join_group_by_code', { code: 'XL2026' })).error).toBeNull()
    expect(await members(groups.X)).toEqual(once)
  })

  it('a wrong code and a malformed one are refused in Chinese, and nothing is written', async () => {
    expect(refusal(await p.workerA.rpc('join_group_by_code', { code: 'XL2027' }))).toEqual({
      status: 500, code: 'P0002', message: '邀请码不正确或已更换，请向创业管家索取新的邀请码',
    })
    for (const code of ['', '你好', 'X'.repeat(5000), "XL2026' or '1'='1"]) {
      expect(refusal(await p.workerA.rpc('join_group_by_code', { code }))).toEqual({
        status: 400, code: '22023', message: '邀请码是4到12位字母或数字，请核对后再输入',
      })
    }
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('a butler rotates the code: the old one stops working, the new one works', async () => {
    const rotated = await p.butlerX.rpc('rotate_invite_code', { group_id: groups.X })
    expect(rotated.error).toBeNull()
    const code = rotated.data as string
    expect(code).toMatch(/^[2-9A-HJ-KM-NP-Z]{8}$/)
    expect(refusal(await p.workerA.rpc('join_group_by_code', { code: 'XL2026' })).code).toBe('P0002')
    expect((await p.workerA.rpc('join_group_by_code', { code: code.toLowerCase() })).error).toBeNull()
    const seen = await p.workerB.from('groups').select('invite_code').eq('id', groups.X).single()
    expect(seen.data).toEqual({ invite_code: code })
  })

  it('an archived group takes nobody new', async () => {
    await be.db.query(`update public.groups set archived_at = now() where id = $1`, [groups.X])
    expect(refusal(await p.workerA.rpc('join_group_by_code', { code: 'XL2026' }))).toEqual({ status: 400, code: 'P0001', message: '这个创业群已停用' })
  })
})

describe('asking to join and being decided on', () => {
  it('workerA finds group Y, asks, butlerY is told, approves, and workerA is in and told', async () => {
    const found = await p.workerA.rpc('discover_groups', { query: '辽源' })
    expect(found.data).toEqual([{ id: groups.Y, name: '辽源路街道创业群', district: '四方区辽源路街道', description: '辽源路街道创业服务群。', is_member: false, request_pending: false }])

    const asked = await p.workerA.rpc('request_to_join_group', { group_id: groups.Y, note: '我住在辽源路' })
    expect(asked.error).toBeNull()
    const request = asked.data as { id: string; status: string }
    expect(request).toMatchObject({ status: 'pending', user_id: p.ids.workerA, note: '我住在辽源路' })
    // Asking again is the same request.
    expect((await p.workerA.rpc('request_to_join_group', { group_id: groups.Y, note: '' })).data).toMatchObject({ id: request.id })
    expect((await notificationsOf(p.ids.butlerY)).map((n) => n.kind)).toEqual(['group_join_request'])
    expect((await p.workerA.rpc('discover_groups', { query: '辽源' })).data).toMatchObject([{ request_pending: true }])

    // The butler sees the request; the butler of another group does not, and cannot decide it.
    const listed = await p.butlerY.from('group_join_requests').select('id, user_id, status').eq('group_id', groups.Y)
    expect(listed.data).toEqual([{ id: request.id, user_id: p.ids.workerA, status: 'pending' }])
    expect((await p.butlerX.from('group_join_requests').select('id').eq('id', request.id)).data).toEqual([])
    expect(refusal(await p.butlerX.rpc('decide_join_request', { request_id: request.id, approve: true }))).toEqual({
      status: 500, code: 'P0002', message: '找不到这条入群申请',
    })

    const decided = await p.butlerY.rpc('decide_join_request', { request_id: request.id, approve: true, note: '欢迎' })
    expect(decided.error).toBeNull()
    expect(decided.data).toMatchObject({ status: 'approved', decided_by: p.ids.butlerY })
    expect(await members(groups.Y)).toContain(`${p.ids.workerA}:member`)
    expect(await notificationsOf(p.ids.workerA)).toEqual([
      expect.objectContaining({ kind: 'group_join_approved', title: '您已加入辽源路街道创业群', push_template: 'account_change' }),
    ])
    expect(refusal(await p.workerA.rpc('request_to_join_group', { group_id: groups.Y }))).toEqual({
      status: 409, code: '23505', message: '您已经在这个创业群里了',
    })
  })

  it('a rejection keeps the person out and tells them why; deciding the other way afterwards is refused', async () => {
    const asked = await p.workerA.rpc('request_to_join_group', { group_id: groups.Y })
    const id = (asked.data as { id: string }).id
    expect((await p.butlerY.rpc('decide_join_request', { request_id: id, approve: false, note: '请到辽源路街道办登记后再申请' })).error).toBeNull()
    expect(await members(groups.Y)).not.toContain(`${p.ids.workerA}:member`)
    expect(await notificationsOf(p.ids.workerA)).toEqual([
      expect.objectContaining({ kind: 'group_join_rejected', body: '请到辽源路街道办登记后再申请' }),
    ])
    expect(refusal(await p.butlerY.rpc('decide_join_request', { request_id: id, approve: true }))).toEqual({
      status: 400, code: 'P0001', message: '这条申请已由其他管家处理',
    })
  })

  it('joining with the code settles a pending request', async () => {
    const asked = await p.workerA.rpc('request_to_join_group', { group_id: groups.X })
    expect((await p.workerA.rpc('join_group_by_code', { code: 'XL2026' })).error).toBeNull()
    const [r] = await rows(`select status, decided_by from public.group_join_requests where id = $1`, [(asked.data as { id: string }).id])
    expect(r).toEqual({ status: 'approved', decided_by: null })
  })

  it('two butlers approving one request at the same moment make one membership and one notification', async () => {
    const asked = await p.workerA.rpc('request_to_join_group', { group_id: groups.X, note: '你好' })
    const id = (asked.data as { id: string }).id
    const results = await Promise.all([
      p.butlerX.rpc('decide_join_request', { request_id: id, approve: true }),
      p.butlerY.rpc('decide_join_request', { request_id: id, approve: true }),
    ])
    expect(results.map((r) => r.error)).toEqual([null, null])
    const [{ n }] = await rows(`select count(*)::int as n from public.group_members where group_id = $1 and user_id = $2`, [groups.X, p.ids.workerA])
    expect(n).toBe(1)
    expect((await notificationsOf(p.ids.workerA)).filter((x) => x.kind === 'group_join_approved')).toHaveLength(1)
  })

  it('one butler approving while another rejects ends in one decision, the other refused', async () => {
    const id = ((await p.workerA.rpc('request_to_join_group', { group_id: groups.X })).data as { id: string }).id
    const results = await Promise.all([
      p.butlerX.rpc('decide_join_request', { request_id: id, approve: true }),
      p.butlerY.rpc('decide_join_request', { request_id: id, approve: false }),
    ])
    expect(results.filter((r) => r.error === null)).toHaveLength(1)
    expect(results.find((r) => r.error)?.error?.message).toBe('这条申请已由其他管家处理')
    const [r] = await rows(`select status from public.group_join_requests where id = $1`, [id])
    const inGroup = (await members(groups.X)).includes(`${p.ids.workerA}:member`)
    expect(inGroup).toBe(r.status === 'approved')
  })

  it('a note that is too long, a request for a group that does not exist and a forged request id are refused', async () => {
    expect(refusal(await p.workerA.rpc('request_to_join_group', { group_id: groups.Y, note: '长'.repeat(201) }))).toEqual({
      status: 400, code: '22023', message: '申请说明最多200个字',
    })
    expect(refusal(await p.workerA.rpc('request_to_join_group', { group_id: '20000000-0000-4000-8000-0000000000ff' }))).toEqual({
      status: 500, code: 'P0002', message: '找不到这个创业群',
    })
    expect(refusal(await p.butlerX.rpc('decide_join_request', { request_id: '20000000-0000-4000-8000-0000000000ff', approve: true })).code).toBe('P0002')
    expect(refusal(await p.workerA.rpc('request_to_join_group', { group_id: 'not-a-uuid' as string })).code).toBe('22P02')
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})

describe('leaving and removal', () => {
  it('workerB leaves group X and no longer reads it', async () => {
    expect((await p.workerB.rpc('leave_group', { group_id: groups.X })).error).toBeNull()
    expect((await p.workerB.from('groups').select('id')).data).toEqual([])
    expect((await p.workerB.from('group_members').select('user_id')).data).toEqual([])
    expect(refusal(await p.workerB.rpc('leave_group', { group_id: groups.X }))).toEqual({ status: 500, code: 'P0002', message: '您不在这个创业群里' })
  })

  it("the only butler of a group cannot leave it", async () => {
    expect(refusal(await p.butlerY.rpc('leave_group', { group_id: groups.Y }))).toEqual({
      status: 400, code: 'P0001', message: '您是本群唯一的创业管家，请先请管理员任命另一位管家再退群',
    })
  })

  it('butlerX removes workerB with a reason; workerB is told, by push too, and loses the group', async () => {
    const res = await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.workerB, reason: '多次发布广告' })
    expect(res.error).toBeNull()
    expect(await members(groups.X)).not.toContain(`${p.ids.workerB}:member`)
    expect(await notificationsOf(p.ids.workerB)).toEqual([
      expect.objectContaining({ kind: 'group_removed', title: '您已被移出兴隆路街道创业群', body: '原因：多次发布广告', push_template: 'account_change' }),
    ])
    const mine = await p.workerB.from('notifications').select('title, body')
    expect(mine.data).toEqual([{ title: '您已被移出兴隆路街道创业群', body: '原因：多次发布广告' }])
    expect((await p.workerB.from('groups').select('id')).data).toEqual([])
    // And butlerX no longer reads workerB's profile.
    expect((await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerB)).data).toEqual([])
  })

  it('a member cannot remove anyone, a butler cannot remove a butler or themselves, the butler of another group cannot remove here', async () => {
    expect(refusal(await p.workerB.rpc('remove_group_member', { group_id: groups.X, person: p.ids.butlerX }))).toEqual({
      status: 403, code: '42501', message: '只有本群的创业管家可以管理本群',
    })
    expect(refusal(await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.butlerY }))).toEqual({
      status: 403, code: '42501', message: '只有管理员可以移出创业管家',
    })
    expect(refusal(await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.butlerX })).code).toBe('22023')
    expect(refusal(await p.butlerX.rpc('remove_group_member', { group_id: groups.Y, person: p.ids.butlerY }))).toEqual({
      status: 500, code: 'P0002', message: '找不到这个创业群',
    })
    expect(refusal(await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.workerA }))).toEqual({
      status: 500, code: 'P0002', message: '这个人不在本群里',
    })
    expect(refusal(await p.butlerX.rpc('remove_group_member', { group_id: groups.X, person: p.ids.workerB, reason: '长'.repeat(201) })).code).toBe('22023')
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('an admin removes a butler, but never the last one', async () => {
    expect((await p.admin.rpc('remove_group_member', { group_id: groups.X, person: p.ids.butlerY })).error).toBeNull()
    expect(refusal(await p.admin.rpc('remove_group_member', { group_id: groups.X, person: p.ids.butlerX }))).toEqual({
      status: 400, code: 'P0001', message: '每个群至少需要一位创业管家',
    })
  })
})

describe('creating groups and appointing butlers', () => {
  it('an admin creates a group with a butler; the butler manages it and the admin reads it', async () => {
    const res = await p.admin.rpc('create_group', { name: '湖岛街道创业群', district: '市北区湖岛街道', description: '新群', butlers: [p.ids.butlerX] })
    expect(res.error).toBeNull()
    const g = res.data as { id: string; invite_code: string; response_target_minutes: number }
    expect(g.invite_code).toMatch(/^[2-9A-HJ-KM-NP-Z]{8}$/)
    expect(g.response_target_minutes).toBe(120)
    expect(await members(g.id)).toEqual([`${p.ids.butlerX}:butler`])
    expect((await p.butlerX.rpc('rotate_invite_code', { group_id: g.id })).error).toBeNull()
    expect((await p.butlerX.rpc('update_group', { group_id: g.id, description: '湖岛街道分流职工交流' })).data).toMatchObject({ description: '湖岛街道分流职工交流' })
    expect((await p.admin.from('groups').select('id')).data).toHaveLength(3)
  })

  it('workers and butlers cannot create groups; bad names and workers as butlers are refused', async () => {
    for (const c of [p.workerA, p.butlerX]) {
      expect(refusal(await c.rpc('create_group', { name: '我的群', district: '四方区' }))).toEqual({ status: 403, code: '42501', message: '只有管理员可以创建创业群' })
    }
    expect(refusal(await p.admin.rpc('create_group', { name: '群'.repeat(31), district: '四方区' })).message).toBe('群名称需要1到30个字')
    expect(refusal(await p.admin.rpc('create_group', { name: '群', district: '四方区', butlers: [p.ids.workerA] })).message).toBe('只能指定创业管家或管理员为本群管家')
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('an admin appoints a butler, who then reads the profiles of that group only', async () => {
    expect((await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerA)).data).toEqual([])
    expect((await p.workerA.rpc('join_group_by_code', { code: 'LY2026' })).error).toBeNull()
    expect((await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerA)).data).toEqual([])
    expect((await p.admin.rpc('set_group_role', { group_id: groups.Y, person: p.ids.butlerX, role: 'butler' })).error).toBeNull()
    expect((await p.butlerX.rpc('full_profiles').select('id').eq('id', p.ids.workerA)).data).toEqual([{ id: p.ids.workerA }])
    expect(refusal(await p.butlerY.rpc('set_group_role', { group_id: groups.Y, person: p.ids.butlerX, role: 'member' }))).toEqual({
      status: 403, code: '42501', message: '只有管理员可以任命或撤销本群管家',
    })
  })
})

describe('phone numbers follow the same rule', () => {
  it('a butler reads the phone number of a member of their group, not of anyone else', async () => {
    await be.db.query(`insert into public.profile_contacts (user_id, phone) values ($1, '13800000012'), ($2, '13800000011')`, [p.ids.workerB, p.ids.workerA])
    expect((await p.butlerX.from('profile_contacts').select('user_id, phone')).data).toEqual([{ user_id: p.ids.workerB, phone: '13800000012' }])
    expect((await p.workerB.from('profile_contacts').select('user_id')).data).toEqual([{ user_id: p.ids.workerB }])
  })
})
