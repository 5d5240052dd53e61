/**
 * Account self-service (PIPL) in the database: withdrawing consent to the privacy notice and deleting
 * one's account, each only for the caller, in one transaction, with what is erased and what is kept
 * checked row by row. Who may call what is in access-matrix.test.ts; this file is about what happens.
 *
 * Sections: withdrawing consent / deleting an account / a token left over from a deleted account /
 * signing in again / staff and the last admin.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'

const FIXTURES = (ids: Personas['ids']) => `
  insert into public.profile_contacts (user_id, phone) values ('${ids.workerB}', '13800000012'), ('${ids.workerA}', '13800000011');
  insert into public.post_bookmarks (user_id, post_id) values
    ('${ids.workerB}', '10000000-0000-4000-8000-000000000002'), ('${ids.workerA}', '10000000-0000-4000-8000-000000000002');
  insert into public.push_subscriptions (user_id, template, remaining) values ('${ids.workerB}', 'account_change', 2);
  insert into public.role_changes (user_id, old_role, new_role, changed_by) values ('${ids.workerB}', 'butler', 'worker', '${ids.admin}');
  select private.notify('${ids.workerA}', 'matrix', '给刘建国的通知', '', null, '{}', 'self-service:workerA');
`

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  await be.db.exec(FIXTURES(p.ids))
  data = await snapshotData(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

async function rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  return (await be.db.query(sql, params)).rows as Record<string, unknown>[]
}

async function count(table: string, column: string, id: string): Promise<number> {
  const [{ n }] = await rows(`select count(*)::int as n from ${table} where ${column} = $1`, [id])
  return Number(n)
}

const errorOf = (res: { status: number; error: { code?: string; message: string; hint?: string | null } | null }) => ({
  status: res.status,
  code: res.error?.code,
  message: res.error?.message,
  hint: res.error?.hint,
})

describe('withdrawing consent to the privacy notice', () => {
  it('appends a withdrawal to the history and leaves the acceptance before it untouched', async () => {
    const before = await rows(`select id, purpose, version, accepted_at, withdrawn from public.consents where user_id = $1 order by id`, [p.ids.workerB])
    const res = await p.workerB.rpc('withdraw_privacy_consent')
    expect(res.error).toBeNull()
    const after = await rows(`select id, purpose, version, accepted_at, withdrawn from public.consents where user_id = $1 order by id`, [p.ids.workerB])
    expect(after.slice(0, before.length)).toEqual(before)
    expect(after.slice(before.length)).toEqual([
      { id: expect.anything(), purpose: 'privacy_notice', version: '2026-11', accepted_at: expect.anything(), withdrawn: true },
    ])
  })

  it('empties what was collected under that consent (profile fields, phone) and clears the privacy state, so onboarding asks again', async () => {
    const res = await p.workerB.rpc('withdraw_privacy_consent')
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({
      id: p.ids.workerB,
      display_name: '微信用户',
      district: null,
      former_employer: null,
      displaced_on: null,
      startup_intention: null,
      privacy_version: null,
      privacy_accepted_at: null,
      onboarded_at: null,
      role: 'worker',
    })
    expect(await count('public.profile_contacts', 'user_id', p.ids.workerB)).toBe(0)
  })

  it('keeps the account and what rests on using the service: bookmarks, messages, subscriptions, WeChat sign-in', async () => {
    const bookmarks = await count('public.post_bookmarks', 'user_id', p.ids.workerB) // the fixture's and the seed's
    expect(bookmarks).toBeGreaterThan(0)
    await p.workerB.rpc('withdraw_privacy_consent')
    expect(await count('public.post_bookmarks', 'user_id', p.ids.workerB)).toBe(bookmarks)
    expect(await count('public.push_subscriptions', 'user_id', p.ids.workerB)).toBe(1)
    expect(await count('private.wechat_identities', 'user_id', p.ids.workerB)).toBe(1)
  })

  it('the profile cannot be saved again until the notice is accepted again, and then it can', async () => {
    await p.workerB.rpc('withdraw_privacy_consent')
    const refused = await p.workerB.rpc('complete_onboarding', { display_name: '陈秀英', district: '四方区兴隆路街道' })
    expect(errorOf(refused)).toEqual({ status: 400, code: 'P0001', message: '请先阅读并同意隐私保护指引', hint: 'privacy_notice_required' })

    expect((await p.workerB.from('consents').insert({ purpose: 'privacy_notice', version: '2026-11' })).error).toBeNull()
    const saved = await p.workerB.rpc('complete_onboarding', { display_name: '陈秀英', district: '四方区兴隆路街道' })
    expect(saved.error).toBeNull()
    expect(saved.data).toMatchObject({ display_name: '陈秀英', privacy_version: '2026-11', onboarded_at: expect.any(String) })
  })

  it('withdrawing twice (a double tap) records one withdrawal and answers success both times', async () => {
    const [first, second] = await Promise.all([p.workerB.rpc('withdraw_privacy_consent'), p.workerB.rpc('withdraw_privacy_consent')])
    expect([first.error, second.error]).toEqual([null, null])
    const withdrawals = await rows(`select 1 from public.consents where user_id = $1 and withdrawn`, [p.ids.workerB])
    expect(withdrawals).toHaveLength(1)
  })

  it('someone who never consented has nothing to withdraw: nothing is written', async () => {
    const res = await p.workerA.rpc('withdraw_privacy_consent')
    expect(res.error).toBeNull()
    expect(await count('public.consents', 'user_id', p.ids.workerA)).toBe(0)
    expect(await count('public.profile_contacts', 'user_id', p.ids.workerA)).toBe(1)
  })

  it('touches no one else: worker1 withdrawing leaves worker2 exactly as they were', async () => {
    const worker2 = async () => ({
      profile: await rows(`select * from public.profiles where id = $1`, [p.ids.workerB]),
      consents: await rows(`select * from public.consents where user_id = $1`, [p.ids.workerB]),
      phone: await rows(`select * from public.profile_contacts where user_id = $1`, [p.ids.workerB]),
    })
    const before = await worker2()
    await p.butlerX.rpc('withdraw_privacy_consent')
    expect(await worker2()).toEqual(before)
  })
})

describe('deleting an account (注销账号)', () => {
  it('erases the profile, WeChat identity, phone, bookmarks, notifications and subscriptions in one call', async () => {
    const res = await p.workerB.rpc('delete_my_account')
    expect(errorOf(res)).toEqual({ status: 204, code: undefined, message: undefined, hint: undefined })
    expect(await count('public.profiles', 'id', p.ids.workerB)).toBe(0)
    expect(await count('private.wechat_identities', 'user_id', p.ids.workerB)).toBe(0)
    expect(await count('public.profile_contacts', 'user_id', p.ids.workerB)).toBe(0)
    expect(await count('public.post_bookmarks', 'user_id', p.ids.workerB)).toBe(0)
    expect(await count('public.notifications', 'recipient_id', p.ids.workerB)).toBe(0)
    expect(await count('public.push_subscriptions', 'user_id', p.ids.workerB)).toBe(0)
  })

  it('keeps the consent history and the role audit under the id only, and records when the account was deleted', async () => {
    const consents = await rows(`select * from public.consents where user_id = $1 order by id`, [p.ids.workerB])
    const audit = await rows(`select * from public.role_changes where user_id = $1 order by id`, [p.ids.workerB])
    expect(consents.length).toBeGreaterThan(0)
    expect(audit.length).toBeGreaterThan(0)
    await p.workerB.rpc('delete_my_account')
    expect(await rows(`select * from public.consents where user_id = $1 order by id`, [p.ids.workerB])).toEqual(consents)
    expect(await rows(`select * from public.role_changes where user_id = $1 order by id`, [p.ids.workerB])).toEqual(audit)
    expect(await rows(`select user_id from private.account_deletions`)).toEqual([{ user_id: p.ids.workerB }])
  })

  it('touches no one else', async () => {
    const others = `select (select count(*) from public.profiles where id <> $1) as profiles,
                           (select count(*) from public.profile_contacts where user_id <> $1) as phones,
                           (select count(*) from public.post_bookmarks where user_id <> $1) as bookmarks,
                           (select count(*) from public.notifications where recipient_id <> $1) as notifications`
    const before = await rows(others, [p.ids.workerB])
    await p.workerB.rpc('delete_my_account')
    expect(await rows(others, [p.ids.workerB])).toEqual(before)
  })

  it('a double tap deletes once: both calls succeed, one deletion is recorded', async () => {
    const [first, second] = await Promise.all([p.workerB.rpc('delete_my_account'), p.workerB.rpc('delete_my_account')])
    expect([first.error, second.error]).toEqual([null, null])
    const third = await p.workerB.rpc('delete_my_account')
    expect(third.error).toBeNull()
    expect(await rows(`select user_id from private.account_deletions`)).toEqual([{ user_id: p.ids.workerB }])
  })

  it('a worker who has never onboarded can delete their account too', async () => {
    expect((await p.workerA.rpc('delete_my_account')).error).toBeNull()
    expect(await count('public.profiles', 'id', p.ids.workerA)).toBe(0)
    expect(await count('public.notifications', 'recipient_id', p.ids.workerA)).toBe(0)
  })
})

describe('a token left over from a deleted account', () => {
  it('reads nothing of the old account and can write nothing back', async () => {
    await p.workerB.rpc('delete_my_account')
    const fingerprint = await data.fingerprint()

    const profile = await p.workerB.from('profiles').select('id').eq('id', p.ids.workerB)
    expect(profile.data).toEqual([])
    const consent = await p.workerB.from('consents').insert({ purpose: 'privacy_notice', version: '2026-11' })
    expect(errorOf(consent)).toEqual({ status: 403, code: '42501', message: '账号已注销，请重新登录', hint: 'account_deleted' })
    const bookmark = await p.workerB.from('post_bookmarks').insert({ post_id: '10000000-0000-4000-8000-000000000003' })
    expect(errorOf(bookmark)).toMatchObject({ status: 409, code: '23503' })
    const withdraw = await p.workerB.rpc('withdraw_privacy_consent')
    expect(errorOf(withdraw)).toEqual({ status: 500, code: 'P0002', message: '账号已注销，请重新登录', hint: 'account_deleted' })
    // Nobody writes profiles directly (edits go through complete_onboarding): refused outright.
    const rename = await p.workerB.from('profiles').update({ display_name: '陈秀英' }, { count: 'exact' }).eq('id', p.ids.workerB)
    expect(errorOf(rename)).toMatchObject({ status: 403, code: '42501' })

    expect(await data.fingerprint()).toBe(fingerprint)
  })
})

describe('signing in again after deleting', () => {
  it('the same WeChat account gets a brand-new, empty account with another id', async () => {
    await p.workerB.rpc('delete_my_account')
    const res = await p.service.rpc('sign_in_wechat', { p_openid: 'demo:worker2', p_create: true })
    expect(res.error).toBeNull()
    const [person] = res.data as { id: string; role: string; display_name: string; onboarded: boolean; created: boolean }[]
    expect(person).toMatchObject({ role: 'worker', display_name: '微信用户', onboarded: false, created: true })
    expect(person.id).not.toBe(p.ids.workerB)
    const fresh = await rows(`select district, privacy_version from public.profiles where id = $1`, [person.id])
    expect(fresh).toEqual([{ district: null, privacy_version: null }])
    expect(await count('public.profile_contacts', 'user_id', person.id)).toBe(0)
  })
})

describe('staff accounts and the last admin', () => {
  it('the last admin cannot delete their account, and nothing is written', async () => {
    const res = await p.admin.rpc('delete_my_account')
    expect(errorOf(res)).toEqual({
      status: 400, code: 'P0001', message: '您是唯一的管理员，不能注销账号。请先把另一位同事设为管理员。', hint: 'last_admin',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('a butler is asked to become a worker first', async () => {
    const res = await p.butlerX.rpc('delete_my_account')
    expect(errorOf(res)).toEqual({
      status: 403, code: '42501', message: '创业管家和管理员的账号是工作账号，请先请管理员把您的角色改为职工，再注销账号。', hint: 'staff_account',
    })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('an admin who stepped down can delete their account; the role grants they made stay audited', async () => {
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.butlerY, new_role: 'admin' })).error).toBeNull()
    expect((await p.admin.rpc('set_user_role', { user_id: p.ids.admin, new_role: 'worker' })).error).toBeNull()
    const made = await rows(`select * from public.role_changes where changed_by = $1 order by id`, [p.ids.admin])

    const res = await p.admin.rpc('delete_my_account')
    expect(res.error?.message).toBe('您的账号还关联着需要保留的工作记录（如发布过的资讯），请联系管理员办理注销。')
    // The admin wrote posts: those stay, so the account stays. Without posts it would go:
    await be.db.query(`delete from public.posts where author_id = $1`, [p.ids.admin])
    expect((await p.admin.rpc('delete_my_account')).error).toBeNull()
    expect(await count('public.profiles', 'id', p.ids.admin)).toBe(0)
    expect(await rows(`select * from public.role_changes where changed_by = $1 order by id`, [p.ids.admin])).toEqual(made)
  })
})
