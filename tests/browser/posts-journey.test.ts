/**
 * Posts, end to end: the H5 build in real Chromium against the local backend, with its scheduler on (it
 * releases scheduled posts and sends pushes, as pg_cron does in production).
 *
 *   王主任 (admin) writes a policy tagged 补贴 in the block editor, previews it, saves the draft and
 *   schedules it a few seconds ahead → at its time it heads 陈秀英's (worker2, follows 补贴 in the seed)
 *   policy feed → her 消息中心 has it, and tapping it opens the post (body rendered from the stored
 *   nodes, one read counted, 收藏 saved) → searching 担保 finds the loan policy with the hit marked and
 *   remembers the search on the device → 我感兴趣 on a project → 李管家 (butler1) gets the lead: in his
 *   消息中心 (whose link forwards to 我的线索) and in 我的线索.
 *
 * The tests run in order on one page, like people using the app; the database is checked at each step.
 */
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { journeySteps, startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { jpegFile } from '../support/sample-files'
import { serveStatic } from '../support/static-server'

const ADMIN = '00000000-0000-4000-8000-000000000001'
const BUTLER1 = '00000000-0000-4000-8000-000000000002'
const WORKER2 = '00000000-0000-4000-8000-000000000012'
const LOAN_POLICY = '创业担保贷款贴息政策解读'
const BREAKFAST_PROJECT = '10000000-0000-4000-8000-000000000004'
const BREAKFAST_TITLE = '社区早餐店：低门槛创业项目推荐'
const TITLE = '2026年一次性创业补贴标准提高到1.5万元'
const SUMMARY = '分流职工首次创业并正常经营6个月以上的，一次性创业补贴由1万元提高到1.5万元。'

let backend: LocalBackend
let site: Awaited<ReturnType<typeof serveStatic>>
let page: Page
let e2e: E2E
/** The post 王主任 writes, once saved. */
let postId = ''
let publishAt = 0

let steps: ReturnType<typeof journeySteps>
const settled = () => steps.settled()
const goBack = () => steps.goBack()
const openTab = (label: string) => steps.openTab(label)
const confirmModal = (expected: RegExp) => steps.confirmModal(expected)
const signInAs = (name: string) => steps.signInAs(name)
const signOut = () => steps.signOut()

/** The page on top (Taro keeps the pages below mounted, shaded). */
function current() {
  return page.locator('.taro_page:not(.taro_page_shade)')
}

beforeAll(async () => {
  e2e = await startE2E({ scheduler: { intervalMs: 1000 } })
  ;({ backend, site, page } = e2e)
  steps = journeySteps(page)
  await page.goto(site.url, { waitUntil: 'domcontentloaded' })
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

describe('a scheduled policy reaches its followers, and a project lead reaches its butler', () => {
  it('王主任 writes a policy tagged 补贴 in the block editor and saves it as a draft', async () => {
    await signInAs('王主任')
    await page.locator('.editor-entry').click()
    await page.locator('.new-post').waitFor()
    await settled()
    await page.locator('.new-post').click()
    await page.locator('.post-title-input input').waitFor()
    await settled()

    await page.locator('.post-title-input input').fill(TITLE)
    await page.locator('.post-summary-input textarea').fill(SUMMARY)
    await page.locator('.block-paragraph textarea').first().fill('符合条件的分流职工，可领取**一次性创业补贴1.5万元**。')
    await page.locator('.add-subheading').click()
    await page.locator('.block-heading input').last().fill('需要准备的材料')
    await page.locator('.add-ordered-list').click()
    await page.locator('.block-list textarea').last().fill('身份证\n营业执照\n银行账户信息')
    await page.locator('.post-issuer-input input').fill('青岛市人力资源和社会保障局')
    await page.locator('.tag-choice', { hasText: '补贴' }).click()
    // The cover goes to the post-covers bucket and is checked by verify-upload before it shows.
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.cover-upload').click()])
    await chooser.setFiles({ name: 'cover.jpg', mimeType: 'image/jpeg', buffer: jpegFile() })
    await page.locator('.post-editor__cover').waitFor({ timeout: 30_000 })
    await expect(page.locator('.tag-choice.is-chosen').allInnerTexts()).resolves.toEqual(['✓ 补贴'])

    await page.locator('.mode-preview').click()
    const preview = page.locator('.post-preview')
    await expect(preview.locator('.post-detail-title').innerText()).resolves.toBe(TITLE)
    await expect(preview.locator('.post-body strong, .post-body .rt-strong').first().innerText()).resolves.toBe('一次性创业补贴1.5万元')
    await expect(preview.locator('.post-body ol li').allInnerTexts()).resolves.toEqual(['身份证', '营业执照', '银行账户信息'])
    await page.locator('.mode-edit').click()

    await page.locator('.save-post').click()
    await expect.poll(async () => (await backend.db.query(`select id from public.posts where title = $1`, [TITLE])).rows.length, { timeout: 15_000 }).toBe(1)
    const { rows } = await backend.db.query(
      `select id, status, author_id, tags, issuer, body_doc::text as body, cover_path, private.is_verified_object('post-covers', cover_path) as verified
         from public.posts where title = $1`,
      [TITLE],
    )
    postId = String(rows[0].id)
    expect(String(rows[0].cover_path)).toMatch(new RegExp(`^${ADMIN}/[a-z0-9]+\\.jpg$`))
    expect(rows[0].verified).toBe(true)
    expect(rows[0]).toMatchObject({ status: 'draft', author_id: ADMIN, tags: ['补贴'], issuer: '青岛市人力资源和社会保障局' })
    expect(JSON.parse(String(rows[0].body))).toEqual([
      { name: 'p', children: [{ type: 'text', text: '符合条件的分流职工，可领取' }, { name: 'strong', children: [{ type: 'text', text: '一次性创业补贴1.5万元' }] }, { type: 'text', text: '。' }] },
      { name: 'h3', children: [{ type: 'text', text: '需要准备的材料' }] },
      { name: 'ol', children: ['身份证', '营业执照', '银行账户信息'].map((text) => ({ name: 'li', children: [{ type: 'text', text }] })) },
    ])
    await expect(page.locator('.post-stage').innerText()).resolves.toBe('草稿')
  })

  it('schedules it a few seconds ahead: published for later, nobody told yet', async () => {
    // The picker opens at the next whole minute: start late in a minute so that is seconds away.
    // Between :45 and :52, so that minute cannot turn while the picker opens.
    const seconds = new Date().getSeconds()
    const wait = seconds < 45 ? 45 - seconds : seconds > 52 ? 105 - seconds : 0
    if (wait > 0) await page.waitForTimeout(wait * 1000)
    await page.locator('.schedule-post').click()
    await page.locator('.nut-picker-confirm-btn').filter({ visible: true }).click()
    await confirmModal(/自动发布/)
    await page.locator('.scheduled-at').waitFor({ timeout: 15_000 })
    await expect(page.locator('.post-stage').innerText()).resolves.toBe('定时发布')

    const { rows } = await backend.db.query(`select status, published_at from public.posts where id = $1`, [postId])
    expect(rows[0].status).toBe('published')
    publishAt = new Date(String(rows[0].published_at)).getTime()
    expect(publishAt).toBeGreaterThan(Date.now() - 1000)
    expect(publishAt).toBeLessThanOrEqual(Date.now() + 20_000)
    expect(new Date(publishAt).getSeconds()).toBe(0)
  })

  it('at its time the policy heads 陈秀英\'s policy feed, and her 消息中心 has it', async () => {
    await signOut()
    await signInAs('陈秀英')
    const before = Date.now() < publishAt - 1000
    if (before) {
      const { rows } = await backend.db.query(`select count(*)::int as n from public.notifications where recipient_id = $1 and payload->>'post_id' = $2`, [WORKER2, postId])
      expect(rows[0].n).toBe(0)
    }
    await page.waitForTimeout(Math.max(0, publishAt - Date.now() + 500))

    // The scheduler (every second here, every minute by pg_cron in production) tells followers once.
    await expect
      .poll(async () => (await backend.db.query(`select title, body, link from public.notifications where recipient_id = $1 and kind = 'post_followed'`, [WORKER2])).rows, { timeout: 20_000 })
      .toEqual([{ title: '您关注的“补贴”有新政策', body: TITLE, link: `/subpackages/posts/pages/detail/index?id=${postId}` }])

    await openTab('首页')
    await settled()
    await page.locator('.feed-kind', { hasText: '政策' }).click()
    await expect.poll(() => page.locator('.post-feed .post-title').first().innerText(), { timeout: 15_000 }).toBe(TITLE)
    await page.locator('.feed-kind', { hasText: '全部' }).click()
    await page.reload({ waitUntil: 'domcontentloaded' })
    await page.locator('.post-item').first().waitFor({ timeout: 30_000 })
    const items = await page.locator('.post-feed .post-item').evaluateAll((els) =>
      els.map((el) => ({ pinned: el.textContent?.includes('置顶') ?? false, title: el.querySelector('.post-title')?.textContent ?? '' })),
    )
    expect(items.find((item) => !item.pinned)?.title).toBe(TITLE)

    await openTab('我的')
    await settled()
    await page.locator('.messages-entry').click()
    await page.locator('.message-item').first().waitFor()
    await settled()
    const message = page.locator('.message-item', { hasText: '您关注的“补贴”有新政策' })
    await expect(message.innerText()).resolves.toContain(TITLE)
  })

  it('the message opens the post: body from the stored nodes, issuer, one read counted, and 收藏 saves it', async () => {
    await page.locator('.message-item', { hasText: '您关注的“补贴”有新政策' }).click()
    await current().locator('.post-detail-title').waitFor()
    await settled()
    await expect(current().locator('.post-detail-title').innerText()).resolves.toBe(TITLE)
    await expect(current().locator('.post-issuer').innerText()).resolves.toContain('青岛市人力资源和社会保障局')
    await expect(current().locator('.post-body .rt-strong').innerText()).resolves.toBe('一次性创业补贴1.5万元')
    await expect(current().locator('.post-body .rt-h3').innerText()).resolves.toBe('需要准备的材料')
    const cover = current().locator('.post-view__cover img')
    await expect(cover.getAttribute('src')).resolves.toMatch(new RegExp(`/storage/v1/object/public/post-covers/${ADMIN}/[a-z0-9]+\\.jpg$`))
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 10_000 }).toBe(1)
    await expect.poll(async () => (await backend.db.query(`select read_count from public.posts where id = $1`, [postId])).rows[0].read_count, { timeout: 10_000 }).toBe(1)
    await expect.poll(() => current().locator('.post-view__reads').innerText(), { timeout: 10_000 }).toBe('阅读 1')

    // 补贴 is followed already (seed): the tag says so.
    await expect(current().locator('.post-tag', { hasText: '补贴' }).locator('.follow-tag').innerText()).resolves.toBe('已关注')

    await current().locator('.bookmark-toggle').click()
    await expect.poll(() => current().locator('.bookmark-toggle').innerText(), { timeout: 10_000 }).toContain('已收藏')
    const { rows } = await backend.db.query(`select 1 from public.post_bookmarks where user_id = $1 and post_id = $2`, [WORKER2, postId])
    expect(rows).toHaveLength(1)

    // 分享 on H5: the page's address is copied (or, without clipboard access, shown to copy by hand).
    await current().locator('.share-post').click()
    await expect
      .poll(async () => {
        const text = await page.locator('body').innerText()
        return text.includes('链接已复制') || text.includes(`/subpackages/posts/pages/detail/index?id=${postId}`)
      }, { timeout: 10_000 })
      .toBe(true)
    const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
    if ((await modal.count()) > 0) await modal.locator('.taro-model__confirm').click()

    // Opening it again counts nothing more.
    await page.reload({ waitUntil: 'domcontentloaded' })
    await current().locator('.post-detail-title').waitFor({ timeout: 30_000 })
    await page.waitForTimeout(1000)
    expect((await backend.db.query(`select read_count from public.posts where id = $1`, [postId])).rows[0].read_count).toBe(1)
  })

  it('searching 担保 finds the loan policy with the hit marked, and the search is remembered on the device', async () => {
    await openTab('首页')
    await settled()
    await page.locator('.search-entry').click()
    await page.locator('.post-search input').waitFor()
    await settled()
    await page.locator('.post-search input').fill('担保')
    await page.locator('.search-submit').click()
    const hit = current().locator('.search-result', { hasText: LOAN_POLICY })
    await hit.waitFor({ timeout: 15_000 })
    await expect(hit.locator('.post-title .search-hit').first().innerText()).resolves.toBe('担保')
    await expect(hit.locator('.post-title').innerText()).resolves.toBe(LOAN_POLICY)

    const stored = await page.evaluate(() => window.localStorage.getItem('cg.searchHistory'))
    expect(stored).toContain('担保')
    await page.locator('.post-search input').fill('')
    await current().locator('.history-item', { hasText: '担保' }).waitFor()
    await current().locator('.clear-history').click()
    await expect(current().locator('.history-item').count()).resolves.toBe(0)
    expect(await page.evaluate(() => window.localStorage.getItem('cg.searchHistory'))).toBeNull()
    await goBack()
  })

  it('我感兴趣 on a project, confirmed, says in Chinese that the butler will call, and makes a lead for 李管家', async () => {
    await page.locator('.post-item', { hasText: BREAKFAST_TITLE }).click()
    await current().locator('.interest-button').waitFor()
    await settled()
    await current().locator('.interest-note textarea').fill('下午方便接电话')
    await current().locator('.interest-button').click()
    await confirmModal(/创业管家会看到您的意向/)
    await expect(current().locator('.interest-done').innerText()).resolves.toContain('已登记您的意向，创业管家会尽快与您联系')

    const { rows } = await backend.db.query(`select worker_id, butler_id, status, note from public.project_leads where post_id = $1`, [BREAKFAST_PROJECT])
    expect(rows).toEqual([{ worker_id: WORKER2, butler_id: BUTLER1, status: 'open', note: '下午方便接电话' }])
    await goBack()
  })

  it('李管家 finds the lead in 消息中心, which leads to 我的线索, and in 我的线索 from 文章管理', async () => {
    await signOut()
    await signInAs('李管家')
    await page.locator('.messages-entry').click()
    await page.locator('.message-item').first().waitFor()
    await settled()
    await page.locator('.message-item', { hasText: '新的项目意向登记' }).click()
    const lead = page.locator('.lead-item', { hasText: '陈秀英' }).filter({ visible: true })
    await lead.waitFor({ timeout: 15_000 })
    await expect(lead.locator('.lead-post').innerText()).resolves.toContain(BREAKFAST_TITLE)
    await expect(lead.locator('.lead-status').innerText()).resolves.toBe('待联系')
    await expect(lead.innerText()).resolves.toContain('下午方便接电话')

    await openTab('我的')
    await settled()
    await page.locator('.editor-entry').click()
    await current().locator('.open-leads').waitFor()
    await settled()
    await current().locator('.open-leads').click()
    await settled()
    const again = current().locator('.lead-item', { hasText: '陈秀英' }).filter({ hasText: BREAKFAST_TITLE })
    await again.waitFor({ timeout: 15_000 })
    await again.locator('.lead-contacted').click()
    await expect.poll(() => again.locator('.lead-status').innerText(), { timeout: 10_000 }).toBe('已联系')
    const { rows } = await backend.db.query(`select status from public.project_leads where post_id = $1 and worker_id = $2`, [BREAKFAST_PROJECT, WORKER2])
    expect(rows).toEqual([{ status: 'contacted' }])
  })

  it('王主任 edits the published policy: a revision is kept, and the post shows 更新于 with 修改记录', async () => {
    await signOut()
    await signInAs('王主任')
    await page.locator('.editor-entry').click()
    await current().locator('.my-post', { hasText: TITLE }).waitFor()
    await settled()
    await expect(current().locator('.my-post', { hasText: TITLE }).locator('.my-post-stage').innerText()).resolves.toBe('已发布')
    await current().locator('.my-post', { hasText: TITLE }).click()
    await current().locator('.post-summary-input textarea').waitFor()
    await settled()
    await expect(current().locator('.post-summary-input textarea').inputValue()).resolves.toBe(SUMMARY)
    await current().locator('.post-summary-input textarea').fill(`${SUMMARY}（2026年1月1日起执行）`)
    await current().locator('.save-post').click()
    await current().locator('.post-editor__revision').first().waitFor({ timeout: 15_000 })
    await expect(current().locator('.post-editor__revision').first().innerText()).resolves.toContain('王主任 修改了摘要')

    const { rows } = await backend.db.query(`select editor_id, changes::text as changes from public.post_revisions where post_id = $1`, [postId])
    expect(rows).toHaveLength(1)
    expect(rows[0].editor_id).toBe(ADMIN)
    expect(Object.keys(JSON.parse(String(rows[0].changes)))).toEqual(['summary'])
    const revised = await backend.db.query(`select revised_at is not null as revised from public.posts where id = $1`, [postId])
    expect(revised.rows[0].revised).toBe(true)

    await openTab('首页')
    await settled()
    await page.reload({ waitUntil: 'domcontentloaded' })
    await page.locator('.post-item', { hasText: TITLE }).click()
    await current().locator('.post-revised').waitFor({ timeout: 15_000 })
    await settled()
    await expect(current().locator('.post-revised').innerText()).resolves.toMatch(/^更新于 \d{4}年/)
    await expect(current().locator('.post-revisions').innerText()).resolves.toContain('修改了摘要')
  })
})
