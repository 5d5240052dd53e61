/**
 * The butler's side of a subsidy application, end to end: the H5 build in real Chromium against the local
 * backend (scheduler off). The worker's side (刘建国, worker1) is driven through the API as the app's
 * worker pages would call it (their own journey tests the pages):
 *
 *   刘建国 applies for 一次性创业补贴 with four photos and submits → 李管家 (butler1) finds it in 审核队列 from
 *   我的 → 申报审核, presses 查看 on the resident ID (told that it is recorded; the database records it) →
 *   asks for a 补正 of one photo (本人银行卡) → 刘建国 replaces that photo and resubmits → 李管家 approves with
 *   the amount offered (10,000元) → the batch locks at its cut-off (time driven through the database:
 *   cutoff_at in the past, run_application_jobs; then the 公示 window ends) → 李管家 exports the roster
 *   (the test opens the downloaded .xlsx and checks its rows), marks the batch filed and the application
 *   disbursed. Along the way: a second butler deciding first is met with 该申报已被其他管家处理.
 *
 * The seeded batch of this month (陈秀英's approved application) is moved to last month first, so the
 * batch this journey builds holds 刘建国's application alone.
 */
import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { clientFor, type Client } from '../support/clients'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { jpegFile, pngFile } from '../support/sample-files'
import { readXlsx, sheetValues } from '../support/xlsx'

const BUTLER1 = '00000000-0000-4000-8000-000000000002'
const BUTLER2 = '00000000-0000-4000-8000-000000000003'
const WORKER1 = '00000000-0000-4000-8000-000000000011'
const XINGLONG = '20000000-0000-4000-8000-000000000001'
const STARTUP_ONCE = '60000000-0000-4000-8000-000000000001'
/** 陈秀英's seeded 带动就业补贴, submitted and waiting for review. */
const SEEDED_SUBMITTED = '50000000-0000-4000-8000-000000000002'
const SEEDED_BATCH = '70000000-0000-4000-8000-000000000001'
const APPLICATION = '5a000000-0000-4000-8000-00000000c201'

/** GB 11643: the resident ID's check character from its first 17 digits. */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/** GB 32100: the unified social credit code's check character from its first 17 characters. */
function creditCode(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const sum = [...first17].reduce((total, c, i) => total + chars.indexOf(c) * weights[i], 0)
  return first17 + chars[(31 - (sum % 31)) % 31]
}

const RESIDENT_ID = residentId('37020319700315203')
const CREDIT_CODE = creditCode('92370203MA3D5K7Q2')
const BANK_ACCOUNT = '6231900098765432101'

let e2e: E2E
let backend: LocalBackend
let page: Page
let worker: Client
let butler2: Client
let batchId = ''

async function db<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await backend.db.query(sql, params)).rows as T[]
}

function button(text: string) {
  return page.locator('.nut-button', { hasText: text }).filter({ visible: true })
}

function shown(selector: string) {
  return page.locator(selector).filter({ visible: true })
}

async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function backToTabs(): Promise<void> {
  for (let i = 0; i < 6 && !(await page.locator('.weui-tabbar').first().isVisible()); i++) {
    await page.goBack()
    await settled()
  }
}

async function openTab(label: string): Promise<void> {
  await backToTabs()
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
}

async function confirmModal(expected: RegExp): Promise<void> {
  const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
  await modal.waitFor()
  await expect(modal.innerText()).resolves.toMatch(expected)
  await modal.locator('.taro-model__confirm').click()
}

/** Opens a page of the app by its path (as a notification's link would), without a reload. */
async function openPath(path: string, ready: string): Promise<void> {
  await page.evaluate((hash) => {
    location.hash = hash
  }, `#/${path}`)
  await shown(ready).first().waitFor({ timeout: 30_000 })
  await settled()
}

/** An upload the way the app makes one: the object into the applicant's folder, then the server's check. */
async function uploadMaterial(name: string, bytes: Buffer, type: string): Promise<string> {
  const path = `${WORKER1}/${APPLICATION}/${name}`
  const uploaded = await worker.storage.from('application-materials').upload(path, bytes, { contentType: type, upsert: true })
  if (uploaded.error) throw new Error(`upload ${path}: ${uploaded.error.message}`)
  const verified = await worker.functions.invoke('verify-upload', { body: { bucket: 'application-materials', name: path } })
  if (verified.error) throw new Error(`verify ${path}: ${verified.error.message}`)
  return path
}

async function attach(key: string, name: string): Promise<void> {
  const path = await uploadMaterial(name, name.endsWith('.png') ? pngFile() : jpegFile(), name.endsWith('.png') ? 'image/png' : 'image/jpeg')
  const { error } = await worker.rpc('attach_application_material', { application_id: APPLICATION, material_key: key, path })
  if (error) throw new Error(`attach ${key}: ${error.message}`)
}

async function status(): Promise<{ status: string; supplement: unknown; batch_id: string | null; approved_amount: string | null }> {
  const [row] = await db<{ status: string; supplement: unknown; batch_id: string | null; approved_amount: string | null }>(
    'select status, supplement, batch_id, approved_amount::text from public.applications where id = $1',
    [APPLICATION],
  )
  return row
}

beforeAll(async () => {
  e2e = await startE2E({ scheduler: false })
  ;({ backend, page } = e2e)
  worker = clientFor(backend, await backend.signToken({ sub: WORKER1 }))
  butler2 = clientFor(backend, await backend.signToken({ sub: BUTLER2 }))
  // Last month's batch, filed long ago: this month's batch is the one the journey builds.
  await db(
    `update public.application_batches
        set month = (month - interval '1 month')::date, cutoff_at = cutoff_at - interval '1 month', status = 'locked',
            locked_at = now() - interval '20 days', publicity_until = now() - interval '15 days'
      where id = $1`,
    [SEEDED_BATCH],
  )
  // 刘建国 joins 兴隆路街道创业群 (the groups journey does that on the pages).
  await db(`update public.profiles set district = '四方区兴隆路街道' where id = $1`, [WORKER1])
  await db(`insert into public.group_members (group_id, user_id, role) values ($1, $2, 'member') on conflict do nothing`, [XINGLONG, WORKER1])
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

describe('刘建国 applies (through the API)', () => {
  it('saves a draft with valid data, consents, attaches four photos and submits', async () => {
    const draft = await worker.rpc('save_application_draft', {
      application_id: APPLICATION,
      programme_id: STARTUP_ONCE,
      fields: {
        real_name: '刘建国',
        resident_id: RESIDENT_ID,
        phone: '13853201234',
        bank_name: '青岛农商银行四方支行',
        bank_account: BANK_ACCOUNT,
        business_name: '建国五金维修部',
        credit_code: CREDIT_CODE,
        registered_on: new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10),
        employees: 1,
        requested_amount: 10000,
      } as never,
    })
    expect(draft.error).toBeNull()
    const consent = await worker.rpc('record_application_consent', { application_id: APPLICATION, notice_version: '2026-12' })
    expect(consent.error).toBeNull()
    await attach('id_card', 'id-front.jpg')
    await attach('business_licence', 'licence.jpg')
    await attach('unemployment_proof', 'proof.jpg')
    await attach('bank_card', 'bank-card.jpg')
    const submitted = await worker.rpc('submit_application', { application_id: APPLICATION })
    expect(submitted.error).toBeNull()
    expect((await status()).status).toBe('submitted')
  })
})

describe('李管家 reviews', () => {
  it('signs in and opens 审核队列 from 我的 → 申报审核, where the application waits under 待审核', async () => {
    await openTab('我的')
    await button('选择演示账号登录').click()
    await page.locator('.demo-login__account').first().waitFor()
    await settled()
    await page.locator('.demo-login__account', { hasText: '李管家' }).click()
    await page.locator('.me-page__header').waitFor()
    await settled()
    await shown('.review-entry').click()
    const item = shown('.queue-application').filter({ hasText: '一次性创业补贴' }).filter({ hasText: '刘建国' })
    await item.first().waitFor()
    await expect(item.first().innerText()).resolves.toMatch(/已提交[\s\S]*刘\*国/)
    // 陈秀英's seeded 带动就业补贴 waits too.
    await shown('.queue-application').filter({ hasText: '带动就业补贴' }).first().waitFor()
  })

  it('the application shows the resident ID and bank account masked; 查看 warns that it is recorded, shows the ID and is recorded', async () => {
    await shown('.queue-application').filter({ hasText: '刘建国' }).first().click()
    await shown('.application-head').waitFor()
    await settled()
    const idRow = shown('.field-resident-id')
    await expect(idRow.innerText()).resolves.toContain(`${RESIDENT_ID.slice(0, 4)}**********${RESIDENT_ID.slice(-4)}`)
    await expect(shown('.field-bank-account').innerText()).resolves.toContain(`****${BANK_ACCOUNT.slice(-4)}`)
    await expect(db('select 1 from public.application_reveals where application_id = $1', [APPLICATION])).resolves.toHaveLength(0)
    await shown('.reveal-resident-id').click()
    await confirmModal(/会被记录/)
    await expect.poll(() => idRow.innerText()).toContain(RESIDENT_ID)
    const reveals = await db<{ field: string; actor_id: string }>('select field, actor_id from public.application_reveals where application_id = $1 order by field', [APPLICATION])
    expect(reveals.map((r) => r.actor_id)).toEqual(reveals.map(() => BUTLER1))
    expect(reveals.map((r) => r.field)).toContain('resident_id')
    // Four photos, each through a signed URL.
    await expect.poll(() => shown('.application-materials .image-viewer__thumb').count()).toBe(4)
    // A tap shows the photo full screen (H5's own view), another tap closes it.
    await shown('.application-materials .image-viewer__thumb').first().click()
    await shown('.image-preview').click()
    await expect(shown('.image-preview').count()).resolves.toBe(0)
  })

  it('补正 of one photo: 本人银行卡 ticked with a note; the worker is asked for exactly that', async () => {
    await shown('.open-supplement').click()
    await shown('.supplement-panel').waitFor()
    await shown('.supplement-item').filter({ hasText: '本人银行卡' }).click()
    await shown('.supplement-note textarea').fill('银行卡照片反光，卡号看不清，请重新拍一张')
    await shown('.confirm-supplement').click()
    await expect.poll(async () => (await status()).status).toBe('needs_supplement')
    const { supplement } = await status()
    expect(typeof supplement === 'string' ? JSON.parse(supplement) : supplement).toEqual([expect.objectContaining({ kind: 'material', key: 'bank_card' })])
    await shown('.supplement-open-list').waitFor()
    await expect(shown('.supplement-open-list').innerText()).resolves.toContain('本人银行卡')
    // The decisions are gone: nothing more to decide until the worker resubmits.
    await expect(shown('.review-decisions').count()).resolves.toBe(0)
  })
})

describe('刘建国 replaces the photo and resubmits (through the API)', () => {
  it('only the listed photo can change; the new one is attached and the application resubmitted', async () => {
    const locked = await worker.rpc('save_application_draft', { application_id: APPLICATION, programme_id: STARTUP_ONCE, fields: { phone: '13853209999' } as never })
    expect(locked.error?.message).toMatch(/^该项已锁定/)
    const [old] = await db<{ id: string }>(`select id from public.application_materials where application_id = $1 and material_key = 'bank_card'`, [APPLICATION])
    const removed = await worker.rpc('remove_application_material', { material_id: old.id })
    expect(removed.error).toBeNull()
    await attach('bank_card', 'bank-card-retake.png')
    const resubmitted = await worker.rpc('submit_application', { application_id: APPLICATION })
    expect(resubmitted.error).toBeNull()
    expect((await status()).status).toBe('submitted')
  })
})

describe('李管家 approves', () => {
  it('the page shows the resubmission; 通过 offers 10,000元 and approves into this month’s batch', async () => {
    await page.reload({ waitUntil: 'domcontentloaded' })
    await shown('.application-head').waitFor({ timeout: 60_000 })
    await settled()
    await expect(shown('.application-head').innerText()).resolves.toContain('已提交')
    await shown('.open-approve').click()
    await shown('.approve-panel').waitFor()
    await expect(shown('.approve-amount input').inputValue()).resolves.toBe('10000')
    await shown('.confirm-approve').click()
    await expect.poll(async () => (await status()).status).toBe('approved')
    const row = await status()
    expect(Number(row.approved_amount)).toBe(10000)
    expect(row.batch_id).not.toBeNull()
    expect(row.batch_id).not.toBe(SEEDED_BATCH)
    batchId = row.batch_id!
    await expect.poll(() => shown('.application-head').innerText()).toContain('已通过')
  })

  it('a second butler deciding first: 李管家 is told 该申报已被其他管家处理 and sees the application as it is now', async () => {
    await openPath(`subpackages/review/pages/application/index?id=${SEEDED_SUBMITTED}`, '.application-head')
    await expect(shown('.application-head').innerText()).resolves.toContain('已提交')
    const taken = await butler2.rpc('start_application_review', { application_id: SEEDED_SUBMITTED })
    expect(taken.error).toBeNull()
    await shown('.start-review').click()
    const modal = page.locator('.taro__modal .taro-modal__content').filter({ visible: true })
    await modal.waitFor()
    await expect(modal.innerText()).resolves.toContain('该申报已被其他管家处理')
    await modal.locator('.taro-model__confirm').click()
    await expect.poll(() => shown('.application-head').innerText()).toContain('审核中')
    const [seeded] = await db<{ status: string; reviewer_id: string }>('select status, reviewer_id from public.applications where id = $1', [SEEDED_SUBMITTED])
    expect(seeded).toEqual({ status: 'under_review', reviewer_id: BUTLER2 })
  })
})

describe('the monthly batch', () => {
  it('locks at its cut-off (the job), and its 公示 window ends', async () => {
    await db(`update public.application_batches set cutoff_at = now() - interval '1 minute' where id = $1`, [batchId])
    await db('select public.run_application_jobs()')
    const [locked] = await db<{ status: string }>('select status from public.application_batches where id = $1', [batchId])
    expect(locked.status).toBe('locked')
    await db(`update public.application_batches set publicity_until = now() - interval '1 minute' where id = $1`, [batchId])
  })

  it('集中申报 lists it as 已截止(公示中); the batch shows 刘*国 with 10,000元', async () => {
    await openPath('subpackages/review/pages/queue/index', '.queue-open-batches')
    await shown('.queue-open-batches').click()
    const [{ month }] = await db<{ month: string }>(`select to_char(month, 'YYYY"年"FMMM"月"') as month from public.application_batches where id = $1`, [batchId])
    const row = shown('.batch-row').filter({ hasText: `四方区兴隆路街道 ${month}` }).filter({ hasText: '已截止' })
    await row.first().waitFor()
    await row.first().click()
    await shown('.batch-head').waitFor()
    await settled()
    const application = shown('.batch-application').filter({ hasText: '刘*国' })
    await application.waitFor()
    await expect(application.innerText()).resolves.toMatch(/一次性创业补贴[\s\S]*10,000元/)
  })

  it('导出名册 downloads the .xlsx roster; its rows are the header and 刘建国 in full', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), shown('.export-roster').click()])
    expect(download.suggestedFilename()).toMatch(/^四方区兴隆路街道\d{4}年\d{1,2}月集中申报名册\.xlsx$/)
    const workbook = readXlsx(await readFile((await download.path())!))
    expect(workbook.sheetNames[0]).toBe('申报名册')
    const [header, ...rows] = sheetValues(workbook)
      .filter((r) => r.length > 0)
      .map((r) => r.map(String))
    // The resident ID is text, so Excel keeps all 18 digits.
    expect(workbook.rows[1][2]).toMatchObject({ kind: 'text', value: RESIDENT_ID })
    expect(header).toEqual(['序号', '姓名', '身份证号', '联系电话', '企业名称', '统一社会信用代码', '补贴项目', '申请金额', '核定金额', '经办人'])
    expect(rows).toHaveLength(1)
    expect(rows[0].slice(0, 7)).toEqual(['1', '刘建国', RESIDENT_ID, '13853201234', '建国五金维修部', CREDIT_CODE, '一次性创业补贴'])
    expect(rows[0].slice(7, 9).map(Number)).toEqual([10000, 10000])
    expect(rows[0][9]).toBe('李管家')
    const exports = await db('select 1 from public.batch_exports where batch_id = $1 and actor_id = $2', [batchId, BUTLER1])
    expect(exports).toHaveLength(1)
  })

  it('标记已申报 files the batch and the application', async () => {
    await shown('.mark-filed').click()
    await confirmModal(/名册已报送/)
    await expect
      .poll(async () => (await db<{ status: string }>('select status from public.application_batches where id = $1', [batchId]))[0].status)
      .toBe('filed')
    expect((await status()).status).toBe('filed')
    await expect.poll(() => shown('.batch-head').innerText()).toContain('已申报')
  })

  it('已发放 settles the application, and with it the batch closes', async () => {
    await shown('.batch-application').filter({ hasText: '刘*国' }).locator('.mark-disbursed').click()
    await expect.poll(async () => (await status()).status).toBe('disbursed')
    await expect
      .poll(async () => (await db<{ status: string }>('select status from public.application_batches where id = $1', [batchId]))[0].status)
      .toBe('closed')
    await expect.poll(() => shown('.batch-head').innerText()).toContain('已办结')
  })

  it('刘建国 was told of every step (消息中心 rows of his application)', async () => {
    const notes = await db<{ title: string }>(
      `select title from public.notifications where recipient_id = $1 and link like $2 order by created_at, id`,
      [WORKER1, `%${APPLICATION}%`],
    )
    const titles = notes.map((n) => n.title).join(' | ')
    for (const word of ['补正', '通过', '申报', '发放']) expect(titles).toContain(word)
  })
})
