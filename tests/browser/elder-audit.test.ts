/**
 * Elder-friendly and accessible, by measure (适老化): every main page (elder-pages.ts), for every demo
 * person and for nobody signed in, in normal and in large-text mode, on a 375 px wide phone, in real
 * Chromium against the H5 build. What is measured and the numbers are in tests/support/elder-measure.ts
 * (text size, line height, contrast, tap targets, nothing clipped or covered — the tab bar included —
 * and no text over other text, all from computed styles and element boxes). axe-core runs on the same
 * page and every serious or critical violation fails too (names of buttons and inputs, roles, labels).
 *
 * One browser; one page per person, signed in once, switched between modes with a reload and between
 * pages inside the running app (as the router does), so the whole audit takes well under a minute.
 * A failure lists every miss: person · mode · page · rule · what · where.
 */
import { readFileSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGES } from '../../src/constants/routes'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { measureShownPage, type Measured } from '../support/elder-measure'
import { AUDIT_PEOPLE, ELDER_AUDIT_PAGES, type AuditedPage, type AuditPerson } from './elder-pages'

const VIEWPORT = { width: 375, height: 667 }
/** Where the switch on 我的 keeps the choice (LARGE_TEXT_STORAGE_KEY of src/services/preferences/large-text.ts, which imports Taro). */
const LARGE_TEXT_STORAGE_KEY = 'cg.largeText'
const MODES = [
  { name: '标准字号', large: false },
  { name: '大字模式', large: true },
] as const
/** axe-core's rules for WCAG 2.1 A and AA and its best practices; serious and critical ones fail. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

let e2e: E2E
/** What each page measured, for the table printed at the end. */
const measured: Array<{ person: AuditPerson; mode: string; page: string; result: Measured; axe: number }> = []

beforeAll(async () => {
  e2e = await startE2E()
})

afterAll(async () => {
  if (measured.length) {
    const rows = measured.map(({ person, mode, page, result, axe }) => {
      const s = result.smallest
      return `${person.padEnd(8)} ${mode} ${page.padEnd(14, '　')} text≥${s.textSize ?? '-'}px line≥${s.lineHeight ?? '-'} contrast≥${s.contrast ?? '-'} target≥${s.target ?? '-'}px main≥${s.mainTarget ?? '-'}px texts=${result.texts} controls=${result.targets} misses=${result.misses.length} axe=${axe}`
    })
    console.log(`elder-friendly audit, smallest values measured per page (375 × 667):\n  ${rows.join('\n  ')}`)
  }
  await e2e?.close()
})

/** The page the router shows (others stay in the DOM, hidden). */
function shownPage(page: Page) {
  return page.locator('.taro_page:not(.taro_page_shade)').filter({ visible: true })
}

/** Opens a page inside the running app, as the router does for a link: the hash changes, no reload. */
async function open(page: Page, target: AuditedPage): Promise<void> {
  const hash = `#/${target.page}`
  if ((await page.evaluate(() => location.hash)) !== hash) {
    await page.evaluate((next) => {
      location.hash = next
    }, hash)
  }
  await shownPage(page).locator(target.ready).first().waitFor({ timeout: 30_000 })
  await page.waitForFunction(() => {
    const shown = [...document.querySelectorAll('.taro_page')].filter((p) => getComputedStyle(p).display !== 'none' && !p.classList.contains('taro_page_shade'))
    // A toast left by the page before (Taro's H5 .taro__toast, ~1.5 s) would be counted as covering this one.
    const toasts = [...document.querySelectorAll('.taro__toast')].filter((t) => getComputedStyle(t).display !== 'none')
    return shown.length === 1 && !shown[0].querySelector('.page-state--loading') && document.fonts.status === 'loaded' && toasts.length === 0
  }, undefined, { timeout: 30_000 })
}

async function signIn(page: Page, person: AuditPerson): Promise<void> {
  const name = AUDIT_PEOPLE[person]
  if (!name) return
  await page.evaluate((next) => {
    location.hash = next
  }, `#/${PAGES.demoLogin}`)
  await shownPage(page).locator('.demo-login__account', { hasText: name }).click()
  await shownPage(page).locator(person === 'worker1' ? '.onboarding__privacy' : '.me-page__header').first().waitFor({ timeout: 30_000 })
}

/** Large-text mode as the switch on 我的 keeps it (Taro's storage on H5), applied by reloading the app. */
async function setMode(page: Page, large: boolean): Promise<void> {
  await page.evaluate(
    ([key, on]) => {
      if (on) localStorage.setItem(key, JSON.stringify({ data: true }))
      else localStorage.removeItem(key)
    },
    [LARGE_TEXT_STORAGE_KEY, large] as const,
  )
  await page.reload({ waitUntil: 'domcontentloaded' })
  await page.locator('.app-page').filter({ visible: true }).first().waitFor({ timeout: 60_000 })
  await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('app-large-text'))).toBe(large)
}

interface AxeMiss {
  id: string
  impact: string
  help: string
  nodes: string[]
}

async function runAxe(page: Page): Promise<AxeMiss[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource })
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof import('axe-core') }).axe
    const result = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: tags } })
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')}`) }))
  }, AXE_TAGS)
}

describe('the measurement', () => {
  it('finds each kind of miss on a page made to have them, and none on its fixed copy', async () => {
    const page = await e2e.browser.newPage({ viewport: VIEWPORT })
    const html = (fixed: boolean) => `
      <html style="font-size:20px"><body style="margin:0;height:667px;display:flex;flex-direction:column;overflow:hidden">
        <div class="taro_page" style="flex:1;overflow-y:scroll;background:#fff;font-size:20px;line-height:1.5">
          <p class="small" style="font-size:${fixed ? 20 : 14}px">小字说明</p>
          <p class="tight" style="line-height:${fixed ? 1.5 : 1.1}">行距太紧的一段文字</p>
          <p class="pale" style="color:${fixed ? '#5c6270' : '#b0b4bd'}">浅灰色的字</p>
          <button class="tiny" style="font:inherit;line-height:1.5;padding:0 8px;height:${fixed ? 44 : 30}px">小按钮</button>
          <div style="width:120px;overflow:hidden;white-space:nowrap"><span class="cut">${fixed ? '不被截断' : '这一行文字太长会被截断看不全'}</span></div>
          <div style="position:relative;height:40px"><span>上面的字</span><span style="position:absolute;left:${fixed ? 200 : 10}px;top:0">压住的字</span></div>
          <div style="height:${fixed ? 200 : 900}px"></div>
          <p class="last">页面最后一行</p>
        </div>
        <div class="weui-tabbar" style="${fixed ? 'height:64px' : 'position:fixed;bottom:0;left:0;right:0;height:64px'};background:#fff;display:flex">
          <a href="#" class="weui-tabbar__item" style="flex:1;font-size:20px;line-height:1.5;color:#1a1a1a">首页</a>
        </div>
      </body></html>`
    await page.setContent(html(false))
    const broken = await page.evaluate(measureShownPage, { large: true })
    const found = (rule: string, what: string) => broken.misses.some((m) => m.rule === rule && m.what.includes(what))
    expect(found('text-size', '小字说明')).toBe(true)
    expect(found('line-height', '行距太紧')).toBe(true)
    expect(found('contrast', '浅灰色')).toBe(true)
    expect(found('tap-target', '小按钮')).toBe(true)
    expect(found('clipped', '这一行文字太长')).toBe(true)
    expect(found('overlap', '上面的字') || found('overlap', '压住的字')).toBe(true)
    expect(found('covered', '页面最后一行')).toBe(true)

    await page.setContent(html(true))
    expect((await page.evaluate(measureShownPage, { large: true })).misses).toEqual([])
    await page.close()
  })
})

for (const person of Object.keys(AUDIT_PEOPLE) as AuditPerson[]) {
  const pages = ELDER_AUDIT_PAGES.filter((p) => !p.who || p.who.includes(person))
  const label = AUDIT_PEOPLE[person] ?? '未登录'

  describe(`${label} (${person})`, () => {
    let context: BrowserContext
    let page: Page

    beforeAll(async () => {
      context = await e2e.browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 2, locale: 'zh-CN' })
      page = await context.newPage()
      await page.goto(e2e.site.url, { waitUntil: 'domcontentloaded' })
      await page.locator('.app-page').filter({ visible: true }).first().waitFor({ timeout: 60_000 })
      await signIn(page, person)
    })

    afterAll(async () => {
      await context?.close()
    })

    for (const mode of MODES) {
      it(`${mode.name}: ${pages.map((p) => p.name).join('、')} meet the numbers and pass axe`, async () => {
        await setMode(page, mode.large)
        const report: string[] = []
        for (const target of pages) {
          await open(page, target)
          const result = await page.evaluate(measureShownPage, { large: mode.large })
          const axe = await runAxe(page)
          measured.push({ person, mode: mode.name, page: target.name, result, axe: axe.length })
          for (const miss of result.misses) report.push(`${target.name} · ${miss.rule}: ${miss.detail} — “${miss.what}” at ${miss.where}`)
          for (const v of axe) report.push(`${target.name} · axe ${v.impact} ${v.id}: ${v.help} — ${v.nodes.join(' | ')}`)
          if (result.misses.length || axe.length) await screenshotFailure(page, `elder ${person} ${mode.name} ${target.name}`)
        }
        expect(report, `${label} · ${mode.name}: ${report.length} misses\n  ${report.join('\n  ')}\n`).toEqual([])
      })
    }
  })
}
