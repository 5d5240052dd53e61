/**
 * 消息中心, end to end: the H5 build in real Chromium against the local backend (its push scheduler off,
 * so the notification stays a message-centre row and nothing is pushed).
 *
 *   王主任 (admin) makes 陈秀英 (worker2) a butler on 角色管理 → the database writes her a notification →
 *   陈秀英 signs in → the 我的 tab shows a badge and the 消息中心 row counts 1 → 消息中心 lists
 *   您的角色已变更为创业管家 as unread → 全部已读 → the row is read, the badge goes, and read_at is set.
 *
 * The tests run in order on one page, like a person using the app.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { serveStatic } from '../support/static-server'


const WORKER2 = '00000000-0000-4000-8000-000000000012'
const TITLE = '您的角色已变更为创业管家'

let backend: LocalBackend
let site: Awaited<ReturnType<typeof serveStatic>>
let page: Page

function button(text: string) {
  return page.locator('.nut-button', { hasText: text })
}

async function openTab(label: string): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
}

/** The badge on the 我的 tab ('' when there is none). */
async function meBadge(): Promise<string> {
  const badge = page.locator('.weui-tabbar__item', { hasText: '我的' }).locator('.weui-badge').filter({ visible: true })
  return (await badge.count()) === 0 ? '' : (await badge.first().innerText()).trim()
}

async function confirmModal(expected: RegExp): Promise<void> {
  const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
  await modal.waitFor()
  await expect(modal.innerText()).resolves.toMatch(expected)
  await modal.locator('.taro-model__confirm').click()
}

/** Waits until Taro's H5 router has finished a page transition (see identity-journey.test.ts). */
async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function signInAs(name: string): Promise<void> {
  await openTab('我的')
  await button('选择演示账号登录').click()
  await page.locator('.demo-login__account').first().waitFor()
  await settled()
  await page.locator('.demo-login__account', { hasText: name }).click()
  await page.locator('.me-page__name').waitFor()
  await settled()
}

async function signOut(): Promise<void> {
  await openTab('我的')
  await button('退出登录').click()
  await confirmModal(/退出后需要重新登录/)
  await button('选择演示账号登录').waitFor()
}

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E({ scheduler: false })
  ;({ backend, site, page } = e2e)
  await page.goto(site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail') return
  await screenshotFailure(page, context.task.name)
})

afterAll(async () => {
  await e2e?.close()
})

describe('a role change reaches the person in 消息中心', () => {
  it('王主任 makes 陈秀英 a butler on 角色管理, and the database writes her an unread notification', async () => {
    await signInAs('王主任')
    await page.locator('.me-page__roles').click()
    await page.locator('.roles-page__person').first().waitFor()
    await settled()
    const row = page.locator('.roles-page__person', { hasText: '陈秀英' })
    await row.locator('.nut-radio', { hasText: '创业管家' }).click()
    await confirmModal(/确定将“陈秀英”由职工改为创业管家吗？/)
    await expect(row.locator('.roles-page__outcome--saved').innerText()).resolves.toBe('已设为创业管家')

    const rows = await backend.db.query(`select kind, title, link, read_at from public.notifications where recipient_id = $1`, [WORKER2])
    expect(rows.rows).toEqual([{ kind: 'role_changed', title: TITLE, link: '/pages/me/index', read_at: null }])
  })

  it('the admin has no unread messages: no badge, no count on 我的', async () => {
    await page.goBack()
    await settled()
    await page.locator('.messages-entry').waitFor()
    expect(await page.locator('.messages-entry .messages-unread').count()).toBe(0)
    expect(await meBadge()).toBe('')
  })

  it('陈秀英 signs in: the 我的 tab shows a badge and the 消息中心 row counts 1', async () => {
    await signOut()
    await signInAs('陈秀英')
    await expect.poll(() => meBadge(), { timeout: 15_000 }).toBe('1')
    await expect.poll(() => page.locator('.messages-entry .messages-unread').innerText(), { timeout: 15_000 }).toBe('1')
  })

  it('消息中心 lists the role change as unread, with its body and time', async () => {
    await page.locator('.messages-entry').click()
    await page.locator('.message-item').first().waitFor()
    await settled()
    const items = page.locator('.message-item')
    await expect(items.count()).resolves.toBe(1)
    const item = items.first()
    await expect(item.getAttribute('class')).resolves.toContain('is-unread')
    await expect(item.locator('.message-title').innerText()).resolves.toBe(TITLE)
    const text = await item.innerText()
    expect(text).toContain('管理员已将您的角色由职工调整为创业管家。')
    expect(text).toMatch(/刚刚|分钟前/)
    const weight = await item.locator('.message-title').evaluate((el) => getComputedStyle(el).fontWeight)
    expect(Number(weight)).toBeGreaterThanOrEqual(600)
  })

  it('全部已读 marks it read in the page and the database, and the badge goes', async () => {
    await page.locator('.mark-all-read').click()
    await expect.poll(() => page.locator('.message-item.is-unread').count(), { timeout: 10_000 }).toBe(0)
    await expect(page.locator('.message-item').count()).resolves.toBe(1)
    await expect(page.locator('.mark-all-read').getAttribute('class')).resolves.toContain('nut-button-disabled')

    const rows = await backend.db.query(`select read_at from public.notifications where recipient_id = $1`, [WORKER2])
    expect(rows.rows).toHaveLength(1)
    expect(rows.rows[0].read_at).not.toBeNull()

    await expect.poll(() => meBadge(), { timeout: 10_000 }).toBe('')
  })

  it('back on 我的, the 消息中心 row shows no count any more', async () => {
    await page.goBack()
    await settled()
    await page.locator('.messages-entry').waitFor()
    await expect.poll(() => page.locator('.messages-entry .messages-unread').count(), { timeout: 10_000 }).toBe(0)
    expect(await meBadge()).toBe('')
  })
})
