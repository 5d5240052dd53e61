/**
 * Account self-service, end to end (the H5 build with demo sign-in, real Chromium, the local backend):
 *
 *   陈秀英 (worker2, onboarded) edits her profile on 编辑资料 and sees it on 我的 → withdraws her consent
 *   (撤回同意): her profile and phone are erased and onboarding asks again → deletes her account (注销账号):
 *   signed out, nothing left in storage → signs in again as the same demo person and gets a brand-new,
 *   empty account (onboarding again).
 *
 *   Database messages on the page: 王主任 (the only admin) is refused 注销账号 with the database's own
 *   sentence; on 角色管理 he grants a role to 刘建国, who deleted his account meanwhile, and reads
 *   找不到这个用户 (raised as P0002, answered with status 500).
 *
 * The tests run in order on one page, like a person using the app. The database is checked at each step.
 */
import type { Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { clientFor } from '../support/clients'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'

const WORKER1 = '00000000-0000-4000-8000-000000000011'
const WORKER2 = '00000000-0000-4000-8000-000000000012'

let e2e: E2E
let backend: LocalBackend
let page: Page
/** Every request the app sent, in order. */
const sent: Request[] = []

function calls(pathPart: string, method?: string): Request[] {
  return sent.filter((r) => r.url().includes(pathPart) && (!method || r.method() === method))
}

function button(text: string) {
  return page.locator('.nut-button', { hasText: text })
}

async function openTab(label: string): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
}

/** Waits until Taro's H5 router shows one page and shades the others (see identity-journey.test.ts). */
async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function confirmModal(expected: RegExp): Promise<void> {
  const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
  await modal.waitFor()
  await expect(modal.innerText()).resolves.toMatch(expected)
  await modal.locator('.taro-model__confirm').click()
}

async function signInAs(name: string): Promise<void> {
  await openTab('我的')
  await button('选择演示账号登录').click()
  await page.locator('.demo-login__account').first().waitFor()
  await settled()
  await page.locator('.demo-login__account', { hasText: name }).click()
}

async function signOut(): Promise<void> {
  await openTab('我的')
  await button('退出登录').click()
  await confirmModal(/退出后需要重新登录/)
  await button('选择演示账号登录').waitFor()
}

async function meText(): Promise<string> {
  return page.locator('.me-page').filter({ visible: true }).innerText()
}

async function storedEverything(): Promise<string> {
  return page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }))
}

beforeAll(async () => {
  e2e = await startE2E()
  ;({ backend, page } = e2e)
  page.on('request', (request) => sent.push(request))
  await page.goto(e2e.site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !page) return
  await screenshotFailure(page, context.task.name)
  const pages = await page.evaluate(() =>
    [...document.querySelectorAll('.taro_page')].map((el) => `${el.id} ${getComputedStyle(el).display} ${el.className}`),
  )
  console.log(`[${context.task.name}] url=${page.url()}\n  ${pages.join('\n  ')}`)
})

afterAll(async () => {
  await e2e?.close()
})

describe('陈秀英 edits her profile', () => {
  it('signs in and finds 编辑资料 under her profile on 我的', async () => {
    await backend.db.query(`insert into public.profile_contacts (user_id, phone) values ($1, '13812341234')`, [WORKER2])
    await signInAs('陈秀英')
    await page.locator('.me-page__edit').waitFor()
    expect(await meText()).toContain('青岛碱业')
  })

  it('编辑资料 opens the onboarding form filled with her saved profile', async () => {
    await page.locator('.me-page__edit').click()
    await page.locator('.profile-edit .profile-form__name input').waitFor()
    await settled()
    const form = page.locator('.profile-edit')
    await expect(form.locator('.profile-form__name input').inputValue()).resolves.toBe('陈秀英')
    await expect(form.locator('.profile-form__district input').inputValue()).resolves.toBe('四方区兴隆路街道')
    await expect(form.locator('.profile-form__employer input').inputValue()).resolves.toBe('青岛碱业')
    await expect(form.locator('.profile-form__date').innerText()).resolves.toContain('2025年6月30日')
    await expect(form.locator('.profile-form__intention textarea').inputValue()).resolves.toBe('想开一家社区家政服务社')
  })

  it('checks the fields in Chinese before sending anything', async () => {
    const form = page.locator('.profile-edit')
    await form.locator('.profile-form__district input').fill('')
    await form.locator('.nut-button', { hasText: '保存' }).click()
    await expect(form.innerText()).resolves.toContain('请填写所属街道')
    expect(calls('/rest/v1/rpc/complete_onboarding')).toHaveLength(0)
  })

  it('saves once however fast the button is pressed and shows the change on 我的 at once', async () => {
    const form = page.locator('.profile-edit')
    await form.locator('.profile-form__district input').fill('市北区辽宁路街道')
    await form.locator('.profile-form__employer input').fill('')
    await form.locator('.profile-form__intention textarea').fill('想开一家家政服务社，带几个老姐妹一起干')
    await form.locator('.nut-button', { hasText: '保存' }).click({ clickCount: 3 })

    await page.locator('.me-page__edit').filter({ visible: true }).waitFor()
    const me = await meText()
    for (const text of ['陈秀英', '市北区辽宁路街道', '想开一家家政服务社，带几个老姐妹一起干', '2025年6月30日']) expect(me).toContain(text)
    expect(me).not.toContain('青岛碱业')
    expect(calls('/rest/v1/rpc/complete_onboarding', 'POST')).toHaveLength(1)
    expect(sent.filter((r) => r.method() === 'PATCH')).toHaveLength(0)

    const saved = await backend.db.query(
      `select district, former_employer, startup_intention, onboarded_at is not null as onboarded from public.profiles where id = $1`,
      [WORKER2],
    )
    expect(saved.rows[0]).toEqual({ district: '市北区辽宁路街道', former_employer: null, startup_intention: '想开一家家政服务社，带几个老姐妹一起干', onboarded: true })
    expect(await storedEverything()).not.toContain('辽宁路')
  })
})

describe('she withdraws her consent', () => {
  it('撤回同意 says what is erased and what is kept, and asks a second time on the page', async () => {
    await page.locator('.me-page__withdraw').click()
    await page.locator('.withdraw-consent').filter({ visible: true }).waitFor()
    await settled()
    const text = await page.locator('.withdraw-consent').innerText()
    for (const words of ['会删除', '姓名、所属街道、原单位、分流日期、创业意向', '手机号', '会保留', '撤回的记录']) expect(text).toContain(words)

    await button('撤回同意').click()
    await expect(page.locator('.confirm-action__question').innerText()).resolves.toContain('确定撤回吗')
    expect(calls('/rest/v1/rpc/withdraw_privacy_consent')).toHaveLength(0)
  })

  it('确认撤回 records the withdrawal, erases her profile and phone, and onboarding asks for consent again', async () => {
    await button('确认撤回').click()
    await page.locator('.onboarding__privacy').filter({ visible: true }).waitFor()
    expect(calls('/rest/v1/rpc/withdraw_privacy_consent', 'POST')).toHaveLength(1)

    const consents = await backend.db.query(`select purpose, version, withdrawn from public.consents where user_id = $1 order by id`, [WORKER2])
    expect(consents.rows).toEqual([
      { purpose: 'privacy_notice', version: '2026-11', withdrawn: false },
      { purpose: 'privacy_notice', version: '2026-11', withdrawn: true },
    ])
    const profile = await backend.db.query(
      `select display_name, district, former_employer, displaced_on, startup_intention, privacy_version, onboarded_at from public.profiles where id = $1`,
      [WORKER2],
    )
    expect(profile.rows[0]).toEqual({
      display_name: '微信用户', district: null, former_employer: null, displaced_on: null, startup_intention: null, privacy_version: null, onboarded_at: null,
    })
    const phone = await backend.db.query(`select 1 from public.profile_contacts where user_id = $1`, [WORKER2])
    expect(phone.rows).toEqual([])
  })

  it('暂不同意 leads to 我的, which asks her to complete her profile and offers nothing to withdraw', async () => {
    await button('暂不同意').click()
    await page.locator('.me-page__notice').filter({ visible: true }).waitFor()
    const me = await meText()
    expect(me).toContain('请先阅读隐私保护指引并完善个人资料')
    expect(me).not.toContain('市北区辽宁路街道')
    expect(me).not.toContain('138****1234')
    await expect(page.locator('.me-page__withdraw').count()).resolves.toBe(0)
    await expect(page.locator('.me-page__edit').count()).resolves.toBe(0)
  })
})

describe('she deletes her account and signs in again', () => {
  it('注销账号 states what is erased and what is kept and why', async () => {
    await page.locator('.me-page__delete').click()
    await page.locator('.delete-account').filter({ visible: true }).waitFor()
    await settled()
    const text = await page.locator('.delete-account').innerText()
    for (const words of ['会删除', '手机号', '收藏的资讯、消息中心的消息', '全新的空账号', '会保留，以及原因', '同意和撤回隐私保护指引的记录', '依法需要保存', '只保留一个账号编号']) {
      expect(text).toContain(words)
    }
  })

  it('asks a second time on the page, and 再想想 steps back without deleting anything', async () => {
    await button('注销账号').click()
    await expect(page.locator('.confirm-action__question').filter({ visible: true }).innerText()).resolves.toContain('注销后无法恢复')
    await button('再想想').click()
    await button('注销账号').filter({ visible: true }).waitFor()
    expect(calls('/rest/v1/rpc/delete_my_account')).toHaveLength(0)
  })

  it('确认注销 deletes the account, signs out and leaves nothing in storage', async () => {
    await button('注销账号').filter({ visible: true }).click()
    await button('确认注销').click()
    await button('选择演示账号登录').filter({ visible: true }).waitFor()
    expect(await meText()).toContain('您还没有登录')
    expect(calls('/rest/v1/rpc/delete_my_account', 'POST')).toHaveLength(1)
    expect(await page.evaluate(() => localStorage.getItem('cg.session'))).toBeNull()
    expect(await storedEverything()).not.toMatch(/陈秀英|微信用户|eyJ/)

    const left = await backend.db.query(
      `select (select count(*)::int from public.profiles where id = $1) as profiles,
              (select count(*)::int from public.consents where user_id = $1) as consents,
              (select count(*)::int from private.account_deletions where user_id = $1) as deletions,
              (select count(*)::int from private.wechat_identities where openid = 'demo:worker2') as identities`,
      [WORKER2],
    )
    expect(left.rows[0]).toEqual({ profiles: 0, consents: 2, deletions: 1, identities: 0 })
  })

  it('signing in again as 陈秀英 makes a brand-new, empty account, and onboarding starts over', async () => {
    await signInAs('陈秀英')
    await page.locator('.onboarding__privacy').filter({ visible: true }).waitFor()
    const fresh = await backend.db.query(
      `select p.id, p.display_name, p.district, p.privacy_version from public.profiles p
         join private.wechat_identities w on w.user_id = p.id where w.openid = 'demo:worker2'`,
    )
    expect(fresh.rows).toEqual([{ id: expect.any(String), display_name: '微信用户', district: null, privacy_version: null }])
    expect(fresh.rows[0].id).not.toBe(WORKER2)

    await button('暂不同意').click()
    await page.locator('.me-page__notice').filter({ visible: true }).waitFor()
    const me = await meText()
    expect(me).toContain('微信用户')
    expect(me).not.toContain('陈秀英')
  })
})

describe('database messages on the page', () => {
  it('the only admin is refused 注销账号 with the database\'s sentence, and stays signed in', async () => {
    await signOut()
    await signInAs('王主任')
    await page.locator('.me-page__roles').filter({ visible: true }).waitFor()
    await page.locator('.me-page__delete').click()
    await page.locator('.delete-account').filter({ visible: true }).waitFor()
    await settled()
    await button('注销账号').click()
    await button('确认注销').click()
    await expect(page.locator('.confirm-action__error').filter({ visible: true }).innerText()).resolves.toBe(
      '您是唯一的管理员，不能注销账号。请先把另一位同事设为管理员。',
    )
    const admins = await backend.db.query(`select count(*)::int as n from public.profiles where role = 'admin'`)
    expect(admins.rows[0].n).toBe(1)
    expect(await page.evaluate(() => localStorage.getItem('cg.session'))).not.toBeNull()
  })

  it('on 角色管理, a grant to someone who deleted their account meanwhile shows 找不到这个用户', async () => {
    await page.goBack()
    await settled()
    await page.locator('.me-page__roles').filter({ visible: true }).click()
    await page.locator('.roles-page__person', { hasText: '刘建国' }).waitFor()
    await settled()

    // 刘建国 deletes his account on his own phone while the list is open.
    const token = await backend.signToken({ sub: WORKER1 })
    expect((await clientFor(backend, token).rpc('delete_my_account')).error).toBeNull()

    const row = page.locator('.roles-page__person', { hasText: '刘建国' })
    await row.locator('.nut-radio', { hasText: '创业管家' }).click()
    await confirmModal(/确定将“刘建国”由职工改为创业管家吗？/)
    await expect(row.locator('.roles-page__outcome--error').innerText()).resolves.toBe('找不到这个用户')

    const grant = calls('/rest/v1/rpc/set_user_role', 'POST').at(-1)!
    const response = (await grant.response())!
    expect(response.status()).toBe(500)
    await expect(response.json()).resolves.toMatchObject({ code: 'P0002', message: '找不到这个用户' })
  })
})
