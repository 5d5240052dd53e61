/**
 * The butler's FAQ management and 转交, end to end: the H5 build in real Chromium against the local
 * backend (scheduler off: nothing here waits for a job).
 *
 *   王主任 (admin) revises the 一次性创业补贴 policy in the editor (文章管理 → 全部) → 李管家 (butler1) opens
 *   管家工作台 → 兴隆路街道创业群 → 常见问题 → 需复核: the entry relying on that policy is listed with the
 *   policy's 更新于 → 已复核 clears it → 编辑 rewrites the answer and links another published policy found
 *   by search → on an open question of his, 转交 to 张管家 with a note → 张管家 is told, with the note.
 *
 * The database is checked at each step; no request uses PATCH (the mini-program cannot send it).
 */
import type { Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { journeySteps, startE2E, screenshotFailure, type E2E } from '../support/e2e'

const BUTLER1 = '00000000-0000-4000-8000-000000000002'
const BUTLER2 = '00000000-0000-4000-8000-000000000003'
const WORKER2 = '00000000-0000-4000-8000-000000000012'
const XINGLONG = '20000000-0000-4000-8000-000000000001'
const FAQ = '42000000-0000-4000-8000-000000000001'
const SUBSIDY_POLICY = '一次性创业补贴：去产能分流职工可申请'
const LOAN_POLICY_ID = '10000000-0000-4000-8000-000000000003'
const LOAN_POLICY = '创业担保贷款贴息政策解读'
const NEW_SUMMARY = '首次创办小微企业或从事个体经营，正常经营3个月以上，即可申请一次性创业补贴。'
const NEW_ANSWER = '身份证、营业执照和银行账户信息；正常经营满3个月即可在“申报”页提交，需要贷款的可同时申请担保贷款贴息。'
const QUESTION_ID = '40000000-0000-4000-8000-0000000000c1'
const QUESTION = '开网店也能申请创业担保贷款吗？'
const NOTE = '贷款问题张管家更熟，请他答复'

let e2e: E2E
let backend: LocalBackend
let page: Page
let steps: ReturnType<typeof journeySteps>
const sent: Request[] = []

/** The page on top (Taro keeps the pages below mounted, shaded). */
function current() {
  return page.locator('.taro_page:not(.taro_page_shade)')
}

async function faqRow() {
  const { rows } = await backend.db.query(`select answer, policy_post_id, needs_recheck from public.group_faqs where id = $1`, [FAQ])
  return rows[0] as { answer: string; policy_post_id: string | null; needs_recheck: boolean }
}

beforeAll(async () => {
  e2e = await startE2E({ scheduler: false })
  ;({ backend, page } = e2e)
  steps = journeySteps(page)
  // worker2's open question in 兴隆路, given to butler1 (as the roster would).
  await backend.db.query(
    `insert into public.group_questions (id, group_id, asker_id, title, owner_id, due_at) values ($1, $2, $3, $4, $5, now() + interval '1 day')`,
    [QUESTION_ID, XINGLONG, WORKER2, QUESTION, BUTLER1],
  )
  page.on('request', (request) => sent.push(request))
  await page.goto(e2e.site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !page) return
  await screenshotFailure(page, context.task.name)
})

afterAll(async () => {
  await e2e?.close()
})

describe('an FAQ entry whose policy was revised is re-checked, and edited', () => {
  it('王主任 revises the policy the FAQ entry relies on: the entry is flagged 需复核', async () => {
    expect((await faqRow()).needs_recheck).toBe(false)
    await steps.signInAs('王主任')
    await page.locator('.editor-entry').click()
    await current().locator('.scope-all').waitFor()
    await steps.settled()
    await current().locator('.scope-all').click()
    const post = current().locator('.my-post', { hasText: SUBSIDY_POLICY })
    await post.waitFor({ timeout: 15_000 })
    await post.click()
    await current().locator('.post-summary-input textarea').waitFor()
    await steps.settled()
    await current().locator('.post-summary-input textarea').fill(NEW_SUMMARY)
    await current().locator('.save-post').click()
    await current().locator('.post-editor__revision').first().waitFor({ timeout: 15_000 })
    await expect.poll(async () => (await faqRow()).needs_recheck, { timeout: 10_000 }).toBe(true)
  })

  it('李管家 finds it under 常见问题 → 需复核 with the policy\'s 更新于, and 已复核 clears it', async () => {
    await steps.signOut()
    await steps.signInAs('李管家')
    await page.locator('.butler-desk-entry').click()
    const card = current().locator('.desk-summary', { hasText: '兴隆路街道创业群' })
    await card.waitFor()
    await steps.settled()
    await card.locator('.open-faq').click()
    await current().locator('.faq-item').first().waitFor()
    await steps.settled()
    await expect(current().locator('.faq-tab-recheck').innerText()).resolves.toBe('需复核（1）')
    await expect(current().locator('.faq-item.needs-recheck .faq-recheck-tag').innerText()).resolves.toBe('需复核')

    await current().locator('.faq-tab-recheck').click()
    const item = current().locator('.faq-item')
    await expect(item.count()).resolves.toBe(1)
    await expect(item.locator('.faq-policy').innerText()).resolves.toBe(`依据：${SUBSIDY_POLICY}`)
    await expect(item.locator('.faq-policy-revised').innerText()).resolves.toMatch(/^政策更新于 \d{4}年\d{1,2}月\d{1,2}日/)

    await item.locator('.faq-rechecked').click()
    await current().locator('.faq-manage .nut-empty').waitFor({ timeout: 15_000 })
    await expect(current().locator('.faq-manage .nut-empty').innerText()).resolves.toContain('没有需要复核的问题')
    await expect(current().locator('.faq-tab-recheck').innerText()).resolves.toBe('需复核（0）')
    expect((await faqRow()).needs_recheck).toBe(false)
  })

  it('编辑: he rewrites the answer and links the loan policy found by searching 担保', async () => {
    await current().locator('.faq-tab-all').click()
    await current().locator('.faq-item .faq-edit').first().click()
    await current().locator('.faq-edit-answer textarea').waitFor()
    await steps.settled()
    await expect(current().locator('.faq-edit-policy').innerText()).resolves.toBe(SUBSIDY_POLICY)
    await current().locator('.faq-edit-answer textarea').fill(NEW_ANSWER)

    await current().locator('.faq-policy-search input').fill('担保')
    await current().locator('.faq-policy-search-submit').click()
    const choice = current().locator('.faq-policy-choice', { hasText: LOAN_POLICY })
    await choice.waitFor({ timeout: 15_000 })
    // Policies only: the search's other hits (a notice about the loan's deadline) are not offered.
    await expect(current().locator('.faq-policy-choice', { hasText: '申报时间安排' }).count()).resolves.toBe(0)
    await choice.locator('.faq-policy-pick').click()
    await expect(current().locator('.faq-edit-policy').innerText()).resolves.toBe(LOAN_POLICY)

    await current().locator('.faq-save').click()
    await current().locator('.faq-manage').waitFor()
    await steps.settled()
    const item = current().locator('.faq-item').first()
    await expect.poll(() => item.locator('.faq-answer').innerText(), { timeout: 15_000 }).toBe(NEW_ANSWER)
    await expect(item.locator('.faq-policy').innerText()).resolves.toBe(`依据：${LOAN_POLICY}`)
    expect(await faqRow()).toEqual({ answer: NEW_ANSWER, policy_post_id: LOAN_POLICY_ID, needs_recheck: false })
    expect(sent.filter((r) => r.url().includes('/rest/v1/rpc/update_group_faq') && r.method() === 'POST')).toHaveLength(1)
  })
})

describe('转交 a question to another butler of the group', () => {
  it('李管家 hands his open question to 张管家 with a note; 张管家 owns it and is told, with the note', async () => {
    await steps.backToTabs()
    await page.locator('.butler-desk-entry').click()
    const item = current().locator('.queue-item', { hasText: QUESTION })
    await item.waitFor({ timeout: 15_000 })
    await steps.settled()
    await item.click()
    await current().locator('.question-title').waitFor()
    await steps.settled()

    await current().locator('.hand-over-question').click()
    // 张管家 is the only other butler of the group, so he is chosen already; the sheet would offer only him.
    await expect(current().locator('.hand-over-to').innerText()).resolves.toBe('张管家 ›')
    await current().locator('.hand-over-pick').click()
    const sheet = page.locator('.taro-actionsheet__cell').filter({ visible: true })
    await sheet.first().waitFor()
    expect((await sheet.allInnerTexts()).filter((label) => label !== '取消')).toEqual(['张管家'])
    await sheet.filter({ hasText: '张管家' }).click()
    await current().locator('.hand-over-note input').fill(NOTE)
    await current().locator('.confirm-hand-over').click()

    await expect.poll(() => current().locator('.question-owner').innerText(), { timeout: 15_000 }).toContain('负责解答：张管家')
    await expect(current().locator('.hand-over-question').count()).resolves.toBe(1)
    const owner = await backend.db.query(`select owner_id from public.group_questions where id = $1`, [QUESTION_ID])
    expect(owner.rows).toEqual([{ owner_id: BUTLER2 }])
    const told = await backend.db.query(`select title, body from public.notifications where recipient_id = $1 and kind = 'question_assigned' and payload->>'question_id' = $2`, [BUTLER2, QUESTION_ID])
    expect(told.rows).toEqual([{ title: `新问题待解答：${QUESTION}`, body: expect.stringMatching(new RegExp(`^${NOTE}。兴隆路街道创业群，请在`)) }])
  })

  it('张管家 finds it under 我的 in his 管家工作台', async () => {
    await steps.signOut()
    await steps.signInAs('张管家')
    await page.locator('.butler-desk-entry').click()
    await current().locator('.queue-item', { hasText: QUESTION }).waitFor({ timeout: 15_000 })
    await expect(current().locator('.queue-tab.is-active').innerText()).resolves.toContain('我的')
  })

  it('nothing here needed PATCH (the mini-program cannot send it)', () => {
    expect(sent.filter((r) => r.method() === 'PATCH')).toHaveLength(0)
  })
})
