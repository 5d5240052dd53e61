import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { startE2E, type E2E } from '../support/e2e'
import { serveStatic } from '../support/static-server'

// The H5 build under test was made by `npm test` against this backend (scripts/e2e-env.ts): same port,
// same signing key, so the anon key baked into the build is accepted.

let backend: LocalBackend
let site: Awaited<ReturnType<typeof serveStatic>>
let page: Page

let e2e: E2E

beforeAll(async () => {
  e2e = await startE2E()
  ;({ backend, site, page } = e2e)
})

afterAll(async () => {
  await e2e?.close()
})

describe('home page (H5 build, real Chromium, local backend)', () => {
  it('shows the published posts, the pinned one first and then the newest first', async () => {
    const expected = await backend.db.query(
      // Signed out: the city-wide (全市) posts only; archived ones leave the feed.
      `select title from public.posts where status = 'published' and published_at <= now() and region = '全市' and archived_at is null
        order by pinned desc, published_at desc`,
    )
    await page.goto(site.url, { waitUntil: 'domcontentloaded' })
    await page.locator('.post-item .post-title').first().waitFor({ timeout: 60_000 })
    const titles = await page.locator('.post-item .post-title').allInnerTexts()
    expect(titles.map((t) => t.trim())).toEqual(expected.rows.map((r) => r.title))
    expect(titles.length).toBe(6)
  })

  it('marks the pinned post with 置顶 and never shows drafts or scheduled posts', async () => {
    const first = page.locator('.post-item').first()
    await expect(first.innerText()).resolves.toContain('置顶')
    const text = await page.locator('.post-feed').innerText()
    expect(text).not.toContain('草稿')
    expect(text).not.toContain('定时发布')
  })

  it('shows the tab bar the product will have', async () => {
    const body = await page.locator('body').innerText()
    for (const tab of ['首页', '创业群', '申报', '我的']) expect(body).toContain(tab)
  })
})
