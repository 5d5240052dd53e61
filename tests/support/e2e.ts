/**
 * What every browser test starts: the local backend the H5 build was made for (same port and signing key,
 * see scripts/e2e-env.ts; reset to the seed), a static server for dist/h5, Debian's Chromium and a phone-
 * sized page. Browser test files run one at a time, each with its own E2E.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '../../supabase/local/server'
import { launchChromium } from './browser'
import { serveStatic } from './static-server'

const root = path.resolve(__dirname, '..', '..')
export const e2eDir = path.join(root, '.local', 'e2e')
const h5Dir = path.join(root, 'dist', 'h5')

export interface E2E {
  backend: LocalBackend
  site: { url: string; close(): Promise<void> }
  browser: Browser
  page: Page
  close(): Promise<void>
}

export async function startE2E(opts: Pick<LocalBackendOptions, 'scheduler'> = {}): Promise<E2E> {
  if (!existsSync(path.join(h5Dir, 'index.html'))) throw new Error('dist/h5 is missing: run `npm test` (or the h5 build) first')
  const env = JSON.parse(readFileSync(path.join(e2eDir, 'build-env.json'), 'utf8')) as { url: string; anonKey: string }
  const backend = await startLocalBackend({
    port: Number(new URL(env.url).port),
    dataDir: e2eDir,
    reset: true,
    databaseUrl: process.env.E2E_DATABASE_URL,
    ...opts,
  })
  if (backend.anonKey !== env.anonKey) {
    await backend.close()
    throw new Error('the H5 build was made for another signing key: run `npm test` (it rebuilds with scripts/e2e-env.ts)')
  }
  const site = await serveStatic(h5Dir)
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  return {
    backend,
    site,
    browser,
    page,
    async close() {
      await browser.close()
      await site.close()
      await backend.close()
    },
  }
}

/** Saves what the page looked like when a test failed, under .local/e2e/failures/. */
export async function screenshotFailure(page: Page | undefined, testName: string): Promise<void> {
  if (!page) return
  const dir = path.join(e2eDir, 'failures')
  await mkdir(dir, { recursive: true })
  const name = testName.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80)
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true }).catch(() => undefined)
}

/**
 * The steps the journeys share, on one page: buttons, Taro's page transitions and modals, the tab bar,
 * and signing in and out with the demo accounts (groups-journey, posts-journey, groups-media).
 */
export function journeySteps(page: Page) {
  /** A visible NutUI button by its text. */
  const button = (text: string) => page.locator('.nut-button', { hasText: text }).filter({ visible: true })

  /** Waits until Taro's H5 router has finished a page transition (see identity-journey.test.ts). */
  const settled = async (): Promise<void> => {
    await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
  }

  /** Like the phone's back gesture. */
  const goBack = async (): Promise<void> => {
    await page.goBack()
    await settled()
  }

  /** Back down the page stack until the tab bar shows (it is hidden on pages pushed over the tabs). */
  const backToTabs = async (): Promise<void> => {
    const tabBar = page.locator('.weui-tabbar__item').first()
    for (let i = 0; i < 8 && !(await tabBar.isVisible()); i++) {
      await goBack()
      // The tab bar comes back with the page's transition: wait for it before going back once more.
      await tabBar.waitFor({ state: 'visible', timeout: 2000 }).catch(() => undefined)
    }
  }

  const openTab = async (label: string): Promise<void> => {
    await backToTabs()
    await page.locator('.weui-tabbar__item', { hasText: label }).click()
  }

  /** Taro's modal (Taro.showModal on H5): checks its text and presses the confirm button. */
  const confirmModal = async (expected: RegExp): Promise<void> => {
    const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
    await modal.waitFor()
    await expect(modal.innerText()).resolves.toMatch(expected)
    await modal.locator('.taro-model__confirm').click()
  }

  /** Picks a demo person on 我的 (for someone new, onboarding opens next). */
  const chooseDemoAccount = async (name: string): Promise<void> => {
    await openTab('我的')
    await button('选择演示账号登录').click()
    await page.locator('.demo-login__account').first().waitFor()
    await settled()
    await page.locator('.demo-login__account', { hasText: name }).click()
  }

  /** Signs in someone onboarded: 我的 shows their name. */
  const signInAs = async (name: string): Promise<void> => {
    await chooseDemoAccount(name)
    await page.locator('.me-page__name').filter({ hasText: name }).waitFor()
    await settled()
  }

  const signOut = async (): Promise<void> => {
    await openTab('我的')
    await settled()
    await button('退出登录').click()
    await confirmModal(/退出后需要重新登录/)
    await button('选择演示账号登录').waitFor()
  }

  return { button, settled, goBack, backToTabs, openTab, confirmModal, chooseDemoAccount, signInAs, signOut }
}
