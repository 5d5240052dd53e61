/**
 * Entrepreneurship groups and the question desk, end to end: the H5 build in real Chromium against the
 * local backend (scheduler off: nothing is pushed, messages wait for their content check).
 *
 *   刘建国 (worker1) finishes onboarding → 创业群 is empty and says how to join → joins 兴隆路街道创业群
 *   with the invite code XL2026 → sends a message in the group (one sent on a dropped network stays
 *   marked 重发 and its retry is the same message) → asks a question (提问) → 李管家
 *   (butler1, on duty by the seeded roster) finds it in 管家工作台's queue and answers it → 刘建国 sees
 *   the answer in 消息中心, opens it and accepts it → 李管家 opens the acceptance from 消息中心 and turns
 *   the question into an FAQ entry → 陈秀英 (worker2) starts typing a similar question and is offered it →
 *   she asks to join 辽源路街道创业群 from the directory → 张管家 approves in 群管理, then removes her with a
 *   reason she is told.
 *
 * The database is checked at each step. The tests run in order on one page, like people using the app.
 */
import type { Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { journeySteps, startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { serveStatic } from '../support/static-server'

const BUTLER1 = '00000000-0000-4000-8000-000000000002'
const WORKER1 = '00000000-0000-4000-8000-000000000011'
const XINGLONG = '20000000-0000-4000-8000-000000000001'
const QUESTION = '申请场地租金补贴需要什么条件？'
const DETAIL = '我在孵化基地租了一间店面，想问问租金能不能补贴。'
const ANSWER = '在孵化基地或自租场地经营满6个月，可以申请场地租金补贴，每年最多补贴6000元，在“申报”页提交租赁合同和付款凭证。'

let backend: LocalBackend
let site: Awaited<ReturnType<typeof serveStatic>>
let page: Page
let questionId = ''
/** Every request the app sent, in order. */
const sent: Request[] = []

function calls(pathPart: string, method?: string): Request[] {
  return sent.filter((r) => r.url().includes(pathPart) && (!method || r.method() === method))
}

/** The page Taro shows now (others stay mounted, hidden). */
function shown(selector: string) {
  return page.locator(selector).filter({ visible: true })
}

/** Opens a notification of 消息中心 by its title and waits for the page it links to. */
async function openNotification(title: string, then: string): Promise<void> {
  await openTab('我的')
  await settled()
  await page.locator('.me-page__messages').click()
  await settled()
  const item = shown('.message-item').filter({ hasText: title })
  await item.first().waitFor()
  await item.first().click()
  await shown(then).waitFor()
  await settled()
}

let e2e: E2E
let steps: ReturnType<typeof journeySteps>
const button = (text: string) => steps.button(text)
const settled = () => steps.settled()
const openTab = (label: string) => steps.openTab(label)
const confirmModal = (expected: RegExp) => steps.confirmModal(expected)
const signOut = () => steps.signOut()

beforeAll(async () => {
  e2e = await startE2E({ scheduler: false })
  ;({ backend, site, page } = e2e)
  steps = journeySteps(page)
  page.on('request', (request) => sent.push(request))
  await page.goto(site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !page) return
  await screenshotFailure(page, context.task.name)
  const pages = await page.evaluate(() => [...document.querySelectorAll('.taro_page')].map((el) => `${el.id} ${getComputedStyle(el).display}`))
  console.log(`[${context.task.name}] url=${page.url()}\n  ${pages.join('\n  ')}`)
})

afterAll(async () => {
  await e2e?.close()
})

describe('a worker joins a group and asks', () => {
  it('刘建国 signs in and finishes onboarding (privacy notice, consent, profile)', async () => {
    await steps.chooseDemoAccount('刘建国')
    await page.locator('.onboarding__privacy').waitFor()
    await page.locator('.onboarding__consent .nut-checkbox').click()
    await button('同意并继续').click()
    await page.locator('.onboarding__form').waitFor()
    await page.locator('.profile-form__name input').fill('刘建国')
    await page.locator('.profile-form__district input').fill('四方区兴隆路街道')
    await page.locator('.profile-form__employer input').fill('青岛钢铁')
    await button('保存').click()
    await page.locator('.me-page__name').waitFor()
    await settled()
  })

  it('创业群 says how to join while he is in no group', async () => {
    await openTab('创业群')
    const empty = shown('.groups-page .page-state--empty')
    await empty.waitFor()
    await expect(empty.innerText()).resolves.toMatch(/您还没有加入创业群[\s\S]*邀请码/)
  })

  it('a wrong code is refused in Chinese; XL2026 joins 兴隆路街道创业群 and opens it', async () => {
    await shown('.groups-page .page-state--empty .nut-button').click()
    await shown('.join-group__code').waitFor()
    await settled()
    await shown('.join-group__code input').fill('AB1234')
    await shown('.join-by-code').click()
    await expect(shown('.join-error').innerText()).resolves.toContain('邀请码不正确或已更换')

    await shown('.join-group__code input').fill('xl2026')
    await shown('.join-by-code').click()
    await shown('.group-chat .chat-message').first().waitFor()
    await settled()
    await expect(shown('.group-chat').innerText()).resolves.toContain('欢迎大家加入兴隆路街道创业群')
    const member = await backend.db.query(`select role from public.group_members where group_id = $1 and user_id = $2`, [XINGLONG, WORKER1])
    expect(member.rows).toEqual([{ role: 'member' }])
  })

  it('sends a message: it shows at once for him, waiting for the content check, stored once under the id the phone chose', async () => {
    await shown('.chat-input input').fill('大家好，我是刘建国，原来在青岛钢铁。')
    await shown('.chat-send').click()
    const mine = shown('.chat-message.is-mine').filter({ hasText: '大家好，我是刘建国' })
    await mine.waitFor()
    await expect(mine.innerText()).resolves.toContain('审核中')
    const sends = calls('/rest/v1/rpc/send_group_message', 'POST')
    expect(sends).toHaveLength(1)
    const { id } = sends[0].postDataJSON() as { id: string }
    const stored = await backend.db.query(`select sender_id, status, body from public.group_messages where id = $1`, [id])
    expect(stored.rows).toEqual([{ sender_id: WORKER1, status: 'pending', body: '大家好，我是刘建国，原来在青岛钢铁。' }])
  })

  it('a send on a dropped network stays marked 重发, and the retry sends the same id: one message', async () => {
    await page.route('**/rest/v1/rpc/send_group_message*', (route) => route.abort('internetdisconnected'))
    await shown('.chat-input input').fill('请问孵化基地在哪里？')
    await shown('.chat-send').click()
    const failed = shown('.chat-outgoing.is-failed').filter({ hasText: '请问孵化基地在哪里？' })
    await failed.waitFor()
    await expect(failed.innerText()).resolves.toContain('重发')
    await page.unroute('**/rest/v1/rpc/send_group_message*')

    await failed.locator('.chat-retry').click()
    const delivered = shown('.chat-message.is-mine:not(.chat-outgoing)').filter({ hasText: '请问孵化基地在哪里？' })
    await delivered.waitFor()
    await expect(shown('.chat-outgoing').count()).resolves.toBe(0)
    const ids = new Set(calls('/rest/v1/rpc/send_group_message', 'POST').slice(1).map((r) => (r.postDataJSON() as { id: string }).id))
    expect(ids.size).toBe(1)
    const stored = await backend.db.query(`select count(*)::int as n from public.group_messages where id = $1`, [[...ids][0]])
    expect(Number(stored.rows[0].n)).toBe(1)
  })

  it('提问 goes to the butler on duty with a due time, and opens the question as 待解答', async () => {
    await shown('.chat-tool-ask').click()
    await shown('.question-input textarea').waitFor()
    await settled()
    await shown('.question-input textarea').fill(`${QUESTION}\n${DETAIL}`)
    await shown('.submit-question').click()
    await shown('.question-page .question-title').waitFor()
    await settled()
    await expect(shown('.question-page .question-status').innerText()).resolves.toBe('待解答')
    await expect(shown('.question-page .question-owner').innerText()).resolves.toContain('负责解答：李管家')

    const asked = await backend.db.query(
      `select id, title, body, status, owner_id, due_at > created_at as has_due from public.group_questions where asker_id = $1`,
      [WORKER1],
    )
    expect(asked.rows).toEqual([{ id: expect.any(String), title: QUESTION, body: DETAIL, status: 'open', owner_id: BUTLER1, has_due: true }])
    questionId = asked.rows[0].id as string
  })
})

describe('the butler on duty answers', () => {
  it('李管家 finds the question under 我的 in 管家工作台', async () => {
    await signOut()
    await steps.signInAs('李管家')
    await page.locator('.butler-desk-entry').click()
    const item = shown('.queue-item').filter({ hasText: QUESTION })
    await item.waitFor()
    await settled()
    await expect(shown('.queue-tab.is-active').innerText()).resolves.toContain('我的')
    await expect(item.innerText()).resolves.toContain('刘建国')
  })

  it('answers with the reply marked as the answer; the question is 已解答', async () => {
    await shown('.queue-item').filter({ hasText: QUESTION }).click()
    await shown('.butler-reply').waitFor()
    await settled()
    await shown('.answer-input textarea').fill(ANSWER)
    await shown('.send-answer').click()
    await expect.poll(() => shown('.question-page .question-status').innerText(), { timeout: 15_000 }).toBe('已解答')
    await expect(shown('.question-reply.is-answer').innerText()).resolves.toContain(ANSWER)
    const q = await backend.db.query(`select status, answer_reply_id is not null as answered from public.group_questions where id = $1`, [questionId])
    expect(q.rows).toEqual([{ status: 'answered', answered: true }])
  })
})

describe('the worker reads the answer and accepts it', () => {
  it('刘建国 has a 消息中心 entry for the answer, which opens the question with the answer marked', async () => {
    await signOut()
    await steps.signInAs('刘建国')
    await openNotification('您的提问有了解答', '.question-page .question-title')
    await expect(shown('.question-reply.is-answer').innerText()).resolves.toContain(ANSWER)
  })

  it('采纳答案 makes it 已采纳', async () => {
    await shown('.accept-answer').click()
    await expect.poll(() => shown('.question-page .question-status').innerText(), { timeout: 15_000 }).toBe('已采纳')
    const q = await backend.db.query(`select status from public.group_questions where id = $1`, [questionId])
    expect(q.rows).toEqual([{ status: 'accepted' }])
  })
})

describe('the answer becomes an FAQ entry that the next worker is offered', () => {
  it('李管家 opens the acceptance from 消息中心 and adds the question to the group\'s FAQ', async () => {
    await signOut()
    await steps.signInAs('李管家')
    await openNotification('提问人采纳了答案', '.question-page .question-title')
    await shown('.make-faq').click()
    await confirmModal(/加入本群的常见问题/)
    await expect
      .poll(async () => (await backend.db.query(`select question, answer from public.group_faqs where source_question_id = $1`, [questionId])).rows, {
        timeout: 15_000,
      })
      .toEqual([{ question: QUESTION, answer: ANSWER }])
  })

  it('陈秀英 typing 租金补贴 in 提问 is offered the new FAQ entry with its answer', async () => {
    await signOut()
    await steps.signInAs('陈秀英')
    await openTab('创业群')
    const group = shown('.group-row').filter({ hasText: '兴隆路街道创业群' })
    await group.waitFor()
    await group.click()
    await shown('.group-chat .chat-message').first().waitFor()
    await settled()
    // 刘建国's message is still waiting for its content check: nobody else sees it yet.
    await expect(shown('.group-chat').innerText()).resolves.not.toContain('大家好，我是刘建国')
    await shown('.chat-tool-ask').click()
    await shown('.question-input textarea').waitFor()
    await settled()
    await shown('.question-input textarea').fill('租金补贴')
    const suggestion = shown('.faq-suggestion').filter({ hasText: QUESTION })
    await suggestion.waitFor({ timeout: 15_000 })
    await expect(suggestion.innerText()).resolves.toContain('常见问题')
    await suggestion.click()
    await expect(suggestion.innerText()).resolves.toContain(ANSWER)
    const suggests = calls('/rest/v1/rpc/suggest_faq')
    expect(suggests.length).toBeGreaterThan(0)
    // Nothing was asked: the answer was already there.
    const asked = await backend.db.query(`select count(*)::int as n from public.group_questions where title like '%租金%' and asker_id <> $1`, [WORKER1])
    expect(Number(asked.rows[0].n)).toBe(0)
  })

})

describe('joining by request, and a butler managing the group', () => {
  const LIAOYUAN = '20000000-0000-4000-8000-000000000002'
  const WORKER2 = '00000000-0000-4000-8000-000000000012'

  it('陈秀英 finds 辽源路街道创业群 in the directory and asks to join with a note', async () => {
    // She opens the app afresh (still signed in).
    await page.goto(site.url, { waitUntil: 'domcontentloaded' })
    await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
    await openTab('创业群')
    await shown('.group-row').first().waitFor()
    await settled()
    await shown('.groups-page .open-join').click()
    await shown('.join-group__search input').waitFor()
    await settled()
    await shown('.join-group__search input').fill('辽源')
    await shown('.join-group__note input').fill('想在辽源路开早餐店')
    const row = shown('.join-group__group').filter({ hasText: '辽源路街道创业群' })
    await row.locator('.request-join').click()
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('已申请，等待管家审核')
    const pending = await backend.db.query(`select status, note from public.group_join_requests where group_id = $1 and user_id = $2`, [LIAOYUAN, WORKER2])
    expect(pending.rows).toEqual([{ status: 'pending', note: '想在辽源路开早餐店' }])
  })

  it('张管家 approves it in 群管理, then removes her with a reason she is told', async () => {
    await signOut()
    await steps.signInAs('张管家')
    await page.locator('.butler-desk-entry').click()
    const card = shown('.desk-summary').filter({ hasText: '辽源路街道创业群' })
    await card.waitFor()
    await settled()
    await card.locator('.open-manage').click()
    const request = shown('.join-request').filter({ hasText: '陈秀英' })
    await request.waitFor()
    await settled()
    await expect(request.innerText()).resolves.toContain('想在辽源路开早餐店')
    await request.locator('.approve-request').click()
    const member = shown('.group-member').filter({ hasText: '陈秀英' })
    await member.waitFor({ timeout: 15_000 })
    expect((await backend.db.query(`select role from public.group_members where group_id = $1 and user_id = $2`, [LIAOYUAN, WORKER2])).rows).toEqual([
      { role: 'member' },
    ])

    await member.locator('.remove-member-button').click()
    await shown('.remove-reason input').fill('申请信息有误，请核实后重新申请')
    await shown('.confirm-remove').click()
    await expect.poll(() => shown('.group-member').filter({ hasText: '陈秀英' }).count(), { timeout: 15_000 }).toBe(0)
    expect((await backend.db.query(`select 1 from public.group_members where group_id = $1 and user_id = $2`, [LIAOYUAN, WORKER2])).rows).toEqual([])
    const told = await backend.db.query(`select body from public.notifications where recipient_id = $1 and body like '%申请信息有误%'`, [WORKER2])
    expect(told.rows).toHaveLength(1)
  })

  it('nothing in the journey needed PATCH (the mini-program cannot send it)', () => {
    expect(sent.filter((r) => r.method() === 'PATCH')).toHaveLength(0)
  })
})
