/**
 * One phone, several people (the H5 build with demo sign-in, real Chromium, the local backend):
 *
 *   李管家 (butler1) signs in and opens 我的 and 消息中心 → signs out → 陈秀英 (worker2) signs in on the
 *   same page without a reload. Nothing of 李管家's may be shown to the next person at any moment: a
 *   watcher in the page records every time his name appears on a page after he signed out.
 *
 * And over the whole journey: no request leaves the app and its backend (no CDN picture, no font, no
 * analytics), so the app works offline-first on intranets and asks nobody the person did not agree to.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'

let e2e: E2E
let page: Page
const hosts = new Set<string>()
const outside: string[] = []

function button(text: string) {
  return page.locator('.nut-button', { hasText: text })
}

async function openTab(label: string): Promise<void> {
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
}

async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function signInAs(name: string): Promise<void> {
  await openTab('我的')
  await button('选择演示账号登录').click()
  await page.locator('.demo-login__account').first().waitFor()
  await settled()
  await page.locator('.demo-login__account', { hasText: name }).click()
}

beforeAll(async () => {
  e2e = await startE2E()
  page = e2e.page
  const allowed = [new URL(e2e.site.url).host, new URL(e2e.backend.url).host]
  page.on('request', (request) => {
    const url = new URL(request.url())
    if (url.protocol === 'data:' || url.protocol === 'blob:') return
    hosts.add(url.host)
    if (!allowed.includes(url.host)) outside.push(request.url())
  })
  await page.goto(e2e.site.url)
})

afterEach(async (context) => {
  if (context.task.result?.state === 'fail') await screenshotFailure(page, context.task.name)
})

afterAll(async () => {
  await e2e?.close()
})

describe('one phone, two people', () => {
  it('shows the butler his own 我的 and messages while he is signed in', async () => {
    await signInAs('李管家')
    await openTab('我的')
    await page.locator('.me-page__name', { hasText: '李管家' }).filter({ visible: true }).waitFor()
    await page.locator('.me-page__profile .nut-cell').first().filter({ visible: true }).waitFor()
    await openTab('首页')
    await page.locator('.post-feed, .page-state--empty').filter({ visible: true }).first().waitFor()
  })

  it('never shows the butler’s name or data to the next person, signed out or signed in as her', async () => {
    await openTab('我的')
    await settled()
    await button('退出登录').filter({ visible: true }).click()
    const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
    await modal.locator('.taro-model__confirm').click()
    // From here on, a personal page showing 李管家 is a leak.
    await page.evaluate(() => {
      const seen: string[] = []
      ;(window as unknown as { leaks: string[] }).leaks = seen
      const check = () => {
        // 我的 and 消息中心 are personal; the feed is not (it names the butler as the author of his posts).
        for (const root of document.querySelectorAll('.me-page, .messages-page')) {
          const text = (root as HTMLElement).innerText ?? ''
          if (text.includes('李管家')) seen.push(text.slice(0, 80))
        }
      }
      check()
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    await button('选择演示账号登录').filter({ visible: true }).waitFor()
    await signInAs('陈秀英')
    await openTab('我的')
    await page.locator('.me-page__name', { hasText: '陈秀英' }).filter({ visible: true }).waitFor()
    await openTab('首页')
    await page.locator('.post-feed, .page-state--empty').filter({ visible: true }).first().waitFor()
    await openTab('我的')
    await page.locator('.me-page__profile .nut-cell').first().filter({ visible: true }).waitFor()
    const leaks = await page.evaluate(() => (window as unknown as { leaks: string[] }).leaks)
    expect(leaks).toEqual([])
  })
})

describe('requests', () => {
  it('sends no request to any host but the app and its backend', () => {
    expect(hosts.size).toBeGreaterThanOrEqual(2)
    expect(outside).toEqual([])
  })
})
