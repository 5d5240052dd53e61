/**
 * Sign-in and identity, end to end: the H5 build (made by `npm test` with TARO_APP_DEMO_LOGIN=true) in
 * real Chromium against the local backend, whose wechat-login function signs the seeded people in with
 * `demo:<handle>` codes.
 *
 *   刘建国 (worker1, not onboarded) signs in through the demo picker → reads and accepts the privacy notice
 *   → completes the profile form → sees it on 我的; 王主任 (admin) grants 创业管家 to 陈秀英 (worker2) on
 *   角色管理 → 陈秀英 signs in afresh and 我的 shows 创业管家. The database is checked at each step.
 *
 * The tests run in order on one page, like a person using the app.
 */
import type { Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { serveStatic } from '../support/static-server'

// Same backend setup as home-feed.test.ts: the port and signing key the H5 build was made for.

const ADMIN = '00000000-0000-4000-8000-000000000001'
const WORKER1 = '00000000-0000-4000-8000-000000000011'
const WORKER2 = '00000000-0000-4000-8000-000000000012'

let backend: LocalBackend
let site: Awaited<ReturnType<typeof serveStatic>>
let page: Page
/** Every request the app sent, in order. */
const sent: Request[] = []

function calls(pathPart: string, method?: string): Request[] {
  return sent.filter((r) => r.url().includes(pathPart) && (!method || r.method() === method))
}

/** Today as the onboarding form shows it (the browser runs in this machine's time zone). */
function todayLabel(): string {
  const now = new Date()
  return `${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日`
}

function todayValue(): string {
  const now = new Date()
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

function button(text: string) {
  return page.locator('.nut-button', { hasText: text })
}

async function openTab(label: string): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
}

/** Taro's modal (Taro.showModal on H5): checks its text and presses 确定 / the confirm button. */
async function confirmModal(expected: RegExp): Promise<void> {
  const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
  await modal.waitFor()
  await expect(modal.innerText()).resolves.toMatch(expected)
  await modal.locator('.taro-model__confirm').click()
}

/**
 * Waits until Taro's H5 router has finished a page transition: one page shown, the others shaded. Taro
 * shades the page left behind by navigateTo on a timer after its 300 ms animation; a switchTab back to
 * that page before the timer fires (a test is that fast) ends with both pages hidden.
 */
async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function openPicker(): Promise<void> {
  await openTab('我的')
  await button('选择演示账号登录').click()
  await page.locator('.demo-login__account').first().waitFor()
  await settled()
}

async function signInAs(name: string): Promise<void> {
  await openPicker()
  await page.locator('.demo-login__account', { hasText: name }).click()
}

async function signOut(): Promise<void> {
  await openTab('我的')
  await button('退出登录').click()
  await confirmModal(/退出后需要重新登录/)
  await button('选择演示账号登录').waitFor()
}

async function fontSize(selector: string): Promise<number> {
  return page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
}

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E()
  ;({ backend, site, page } = e2e)
  page.on('request', (request) => sent.push(request))
  await page.goto(site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !page) return
  // What the page looked like when a step failed: the screenshot and the pages Taro has mounted.
  await screenshotFailure(page, context.task.name)
  const pages = await page.evaluate(() =>
    [...document.querySelectorAll('.taro_page')].map((el) => `${el.id} ${getComputedStyle(el).display} ${el.className}`),
  )
  console.log(`[${context.task.name}] url=${page.url()}\n  ${pages.join('\n  ')}`)
})

afterAll(async () => {
  await e2e?.close()
})

describe('a new worker signs in and completes onboarding', () => {
  it('我的 offers the demo sign-in when nobody is signed in, and the picker lists the five seeded people with their roles', async () => {
    await openTab('我的')
    await expect(page.locator('.me-page').innerText()).resolves.toContain('您还没有登录')
    await openPicker()
    const accounts = page.locator('.demo-login__account')
    const rows = (await accounts.allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))
    expect(rows).toHaveLength(5)
    for (const [name, role] of [
      ['王主任', '管理员'],
      ['李管家', '创业管家'],
      ['张管家', '创业管家'],
      ['刘建国', '职工'],
      ['陈秀英', '职工'],
    ]) {
      expect(rows.some((row) => row.includes(name) && row.includes(role)), `${name} ${role}`).toBe(true)
    }
    expect(calls('/functions/v1/wechat-login')).toHaveLength(0)
  })

  it('刘建国 signs in with the demo code and, not onboarded yet, lands on the privacy notice', async () => {
    await page.locator('.demo-login__account', { hasText: '刘建国' }).click()
    await page.locator('.onboarding__privacy').waitFor()
    const notice = await page.locator('.onboarding__privacy').innerText()
    for (const heading of ['隐私保护指引', '我们收集哪些信息', '为什么收集', '谁能看到', '如何查看、更正或撤回同意']) expect(notice).toContain(heading)

    const login = calls('/functions/v1/wechat-login', 'POST')
    expect(login).toHaveLength(1)
    expect(login[0].postDataJSON()).toEqual({ code: 'demo:worker1' })
  })

  it('keeps only the token, its expiry and the demo account in storage, nothing personal', async () => {
    const stored = await page.evaluate(() => localStorage.getItem('cg.session'))
    expect(stored).not.toBeNull()
    const { data } = JSON.parse(stored!) as { data: Record<string, unknown> }
    expect(Object.keys(data).sort()).toEqual(['accessToken', 'demoHandle', 'expiresAt'])
    expect(data.demoHandle).toBe('worker1')
    expect(data.expiresAt).toBeGreaterThan(Date.now() / 1000 + 3600)
    const everything = await page.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(everything).not.toContain('刘建国')
  })

  it('consent needs the box ticked, and is recorded with the notice version', async () => {
    const agree = button('同意并继续')
    await expect(agree.getAttribute('class')).resolves.toContain('nut-button-disabled')
    await agree.click({ force: true })
    expect(calls('/rest/v1/consents', 'POST')).toHaveLength(0)

    await page.locator('.onboarding__consent .nut-checkbox').click()
    await agree.click()
    await page.locator('.onboarding__form').waitFor()

    const consents = await backend.db.query(`select purpose, version from public.consents where user_id = $1`, [WORKER1])
    expect(consents.rows).toEqual([{ purpose: 'privacy_notice', version: '2026-11' }])
  })

  it('the form says in Chinese what is missing or wrong before anything is sent', async () => {
    await expect(page.locator('.profile-form__name input').inputValue()).resolves.toBe('刘建国')
    await page.locator('.profile-form__name input').fill('刘')
    await button('保存').click()
    await expect(page.locator('.onboarding__form').innerText()).resolves.toContain('姓名应为2到20个字')
    await expect(page.locator('.onboarding__form').innerText()).resolves.toContain('请填写所属街道')
    expect(calls('/rest/v1/rpc/complete_onboarding')).toHaveLength(0)
  })

  it('saves the profile once however fast the button is pressed, then shows it on 我的', async () => {
    await page.locator('.profile-form__name input').fill('刘建国')
    await page.locator('.profile-form__district input').fill('四方区兴隆路街道')
    await page.locator('.profile-form__employer input').fill('青岛钢铁')
    await page.locator('.profile-form__date').click()
    await page.locator('.nut-picker-confirm-btn').filter({ visible: true }).click()
    await expect(page.locator('.profile-form__date').innerText()).resolves.toContain(todayLabel())
    await page.locator('.profile-form__intention textarea').fill('想开一家社区维修店，修家电和自行车')

    await button('保存').click({ clickCount: 3 })

    await page.locator('.me-page__name').waitFor()
    // Shown at once: the saved profile the RPC answered goes straight to 我的.
    const me = await page.locator('.me-page').innerText()
    for (const text of ['刘建国', '职工', '四方区兴隆路街道', '青岛钢铁', todayLabel(), '想开一家社区维修店，修家电和自行车', '未绑定']) {
      expect(me).toContain(text)
    }
    expect(me).not.toContain('完善资料')
    expect(me).not.toContain('角色管理')
    expect(calls('/rest/v1/rpc/complete_onboarding', 'POST')).toHaveLength(1)
    expect(sent.filter((r) => r.method() === 'PATCH')).toHaveLength(0)

    const profile = await backend.db.query(
      `select display_name, district, former_employer, to_char(displaced_on, 'YYYY-MM-DD') as displaced_on, startup_intention,
              privacy_version, onboarded_at is not null as onboarded
         from public.profiles where id = $1`,
      [WORKER1],
    )
    expect(profile.rows[0]).toEqual({
      display_name: '刘建国',
      district: '四方区兴隆路街道',
      former_employer: '青岛钢铁',
      displaced_on: todayValue(),
      startup_intention: '想开一家社区维修店，修家电和自行车',
      privacy_version: '2026-11',
      onboarded: true,
    })
  })

  it('large-text mode enlarges the text of every page and is remembered after a reload', async () => {
    const nameBefore = await fontSize('.me-page__name')
    await openTab('首页')
    const titleBefore = await fontSize('.post-item .post-title')
    await openTab('我的')

    await page.locator('.me-page__large-text .nut-switch').click()
    await expect(page.locator('.me-page').getAttribute('class')).resolves.toContain('app-page--large-text')
    expect(await fontSize('.me-page__name')).toBeGreaterThan(nameBefore * 1.2)
    await openTab('首页')
    expect(await fontSize('.post-item .post-title')).toBeGreaterThan(titleBefore * 1.2)

    await page.reload({ waitUntil: 'domcontentloaded' })
    await page.locator('.post-item .post-title').first().waitFor({ timeout: 60_000 })
    expect(await fontSize('.post-item .post-title')).toBeGreaterThan(titleBefore * 1.2)

    await openTab('我的')
    await page.locator('.me-page__large-text .nut-switch').click()
    await expect(page.locator('.me-page').getAttribute('class')).resolves.not.toContain('app-page--large-text')
  })
})

describe('an admin grants a role', () => {
  it('王主任 signs in (after 刘建国 signs out) and finds 角色管理 on 我的', async () => {
    await signOut()
    expect(await page.evaluate(() => localStorage.getItem('cg.session'))).toBeNull()
    await signInAs('王主任')
    await page.locator('.me-page__roles').waitFor()
    await expect(page.locator('.me-page__header').innerText()).resolves.toMatch(/王主任\s*管理员/)
  })

  it('角色管理 lists everyone with their role', async () => {
    await page.locator('.me-page__roles').click()
    await page.locator('.roles-page__person').first().waitFor()
    await settled()
    const rows = (await page.locator('.roles-page__person').allInnerTexts()).map((t) => t.replace(/\s+/g, ' '))
    expect(rows).toHaveLength(5)
    expect(rows.find((r) => r.includes('陈秀英'))).toContain('职工')
    expect(rows.find((r) => r.includes('王主任'))).toContain('（我）')
  })

  it('refuses, in Chinese, to take the role of the last admin away', async () => {
    const mine = page.locator('.roles-page__person', { hasText: '王主任' })
    await mine.locator('.nut-radio', { hasText: '职工' }).click()
    await confirmModal(/确定将“王主任”由管理员改为职工吗？/)
    await expect(mine.locator('.roles-page__outcome--error').innerText()).resolves.toBe('至少需要保留一名管理员')
    const role = await backend.db.query(`select role from public.profiles where id = $1`, [ADMIN])
    expect(role.rows[0].role).toBe('admin')
  })

  it('makes 陈秀英 a butler after confirmation, and the change is audited', async () => {
    const row = page.locator('.roles-page__person', { hasText: '陈秀英' })
    await row.locator('.nut-radio', { hasText: '创业管家' }).click()
    await confirmModal(/确定将“陈秀英”由职工改为创业管家吗？/)
    await expect(row.locator('.roles-page__outcome--saved').innerText()).resolves.toBe('已设为创业管家')
    await expect(row.locator('.roles-page__current').innerText()).resolves.toBe('创业管家')

    const audit = await backend.db.query(
      `select old_role, new_role, changed_by from public.role_changes where user_id = $1 order by changed_at`,
      [WORKER2],
    )
    expect(audit.rows).toEqual([{ old_role: 'worker', new_role: 'butler', changed_by: ADMIN }])
    expect(calls('/rest/v1/rpc/set_user_role', 'POST')).toHaveLength(2)
  })
})

describe('the new butler signs in', () => {
  it('陈秀英 signs in with a fresh token and 我的 shows 创业管家 and her masked phone number', async () => {
    await backend.db.query(`insert into public.profile_contacts (user_id, phone) values ($1, '13812341234')`, [WORKER2])
    await page.goBack()
    await settled()
    await signOut()
    const loginsBefore = calls('/functions/v1/wechat-login').length
    await signInAs('陈秀英')
    await page.locator('.me-page__name').waitFor()

    await expect(page.locator('.me-page__header').innerText()).resolves.toMatch(/陈秀英\s*创业管家/)
    await expect.poll(() => page.locator('.me-page__phone-number').innerText(), { timeout: 10_000 }).toBe('138****1234')
    const me = await page.locator('.me-page').innerText()
    expect(me).toContain('138****1234')
    expect(me).not.toContain('13812341234')
    expect(me).not.toContain('角色管理')
    // Binding a phone needs WeChat's getPhoneNumber button, which H5 does not have.
    await expect(page.locator('.me-page__phone .nut-button').count()).resolves.toBe(0)
    expect(calls('/functions/v1/wechat-login').length).toBe(loginsBefore + 1)
  })

  it('when the server refuses her token mid-session, the app signs in again silently once and the page still loads', async () => {
    let refused = 0
    await page.route('**/rest/v1/profile_contacts*', async (route) => {
      if (refused === 0) {
        refused++
        await route.fulfill({
          status: 401,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': '*' }, // a cross-origin answer, as the backend's
          body: JSON.stringify({ code: 'PGRST303', message: 'JWT expired' }),
        })
        return
      }
      await route.continue()
    })
    const loginsBefore = calls('/functions/v1/wechat-login', 'POST').length
    const phoneRequestsBefore = calls('/rest/v1/profile_contacts').length

    await openTab('首页')
    await openTab('我的') // coming back refetches the profile and the phone
    await expect.poll(() => calls('/rest/v1/profile_contacts').length - phoneRequestsBefore, { timeout: 20_000 }).toBe(2)
    await expect(page.locator('.me-page').innerText()).resolves.toContain('138****1234')

    const relogins = calls('/functions/v1/wechat-login', 'POST').slice(loginsBefore)
    expect(relogins.map((r) => r.postDataJSON())).toEqual([{ code: 'demo:worker2' }])
    // The retry carries the token the re-login answered. (It may equal the refused one character for
    // character when both were signed within the same second: ES256 here signs deterministically.)
    const renewed = (await (await relogins[0].response())!.json()) as { access_token: string }
    const [, retry] = calls('/rest/v1/profile_contacts').slice(phoneRequestsBefore)
    expect(await retry.headerValue('authorization')).toBe(`Bearer ${renewed.access_token}`)
    await page.unroute('**/rest/v1/profile_contacts*')
  })
})
