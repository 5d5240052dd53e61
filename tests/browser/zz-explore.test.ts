import { it } from 'vitest'
import { startE2E } from '/work/wt/c13/tests/support/e2e'

it('explore', async () => {
  const e2e = await startE2E()
  const page = await e2e.browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, locale: 'zh-CN' })
  await page.goto(e2e.site.url + '/#/pages/groups/index', { waitUntil: 'domcontentloaded' })
  await page.locator('.groups-page .nut-button').first().waitFor({ timeout: 60000 })
  console.log(await page.evaluate(() => { const b = document.querySelector('.groups-page .nut-button')!; const p = b.closest('.taro_page')!; return b.outerHTML.slice(0, 600) + '\nPAGE ' + p.outerHTML.slice(0, 300) + '\nfocusable ' + (b as HTMLElement).tabIndex }))
  await e2e.close()
}, 300000)
