/**
 * Applying for a subsidy, the worker's side, end to end: the H5 build in real Chromium against the local
 * backend (scheduler off).
 *
 *   刘建国 (worker1) finishes onboarding and joins 兴隆路街道创业群 (applications are handled by the
 *   butlers of the applicant's group) → 政策自测 says 一次性创业补贴 fits and why 场地租金补贴 does not →
 *   starts 一次性创业补贴: agrees to the separate notice, fills in who he is (a wrong ID check digit is
 *   caught on the phone, in Chinese), his business (a credit code failing its check is only flagged),
 *   uploads photos of each material, checks, and taps 提交 twice: one submission → 申报详情 shows 已提交 and
 *   the timeline, 我的申报 lists it as 已提交 → 李管家 asks for a new ID photo (补正): only that photo can
 *   change, he replaces it and resubmits. Nothing he typed is in the browser's storage.
 *
 * The database is checked at each step. The tests run in order on one page, like a person using the app.
 */
import type { Page, Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { LocalBackend } from '../../supabase/local/server'
import { startE2E, screenshotFailure, type E2E } from '../support/e2e'
import { jpegFile, pngFile } from '../support/sample-files'

const WORKER1 = '00000000-0000-4000-8000-000000000011'
const BUTLER1 = '00000000-0000-4000-8000-000000000002'
const STARTUP_ONCE = '60000000-0000-4000-8000-000000000001'
const RESIDENT_ID = '370203197003152516'
const BANK_ACCOUNT = '6222021602001234567'

let e2e: E2E
let backend: LocalBackend
let page: Page
let applicationId = ''
const sent: Request[] = []

function calls(pathPart: string, method?: string): Request[] {
  return sent.filter((r) => r.url().includes(pathPart) && (!method || r.method() === method))
}

function shown(selector: string) {
  return page.locator(selector).filter({ visible: true })
}

function button(text: string) {
  return page.locator('.nut-button', { hasText: text }).filter({ visible: true })
}

async function settled(): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.taro_page:not(.taro_page_shade)').length === 1)
}

async function backToTabs(): Promise<void> {
  for (let i = 0; i < 8 && !(await page.locator('.weui-tabbar').first().isVisible()); i++) {
    await page.goBack()
    await settled()
  }
}

async function openTab(label: string): Promise<void> {
  await backToTabs()
  await page.locator('.weui-tabbar__item', { hasText: label }).click()
  await settled()
}

async function application() {
  const { rows } = await backend.db.query(
    `select status, consent_notice_version, real_name, resident_id, phone, bank_account, business_name, credit_code,
            credit_code_needs_review, employees, requested_amount::text as requested_amount
       from public.applications where id = $1`,
    [applicationId],
  )
  return rows[0] as Record<string, unknown> | undefined
}

beforeAll(async () => {
  e2e = await startE2E({ scheduler: false })
  ;({ backend, page } = e2e)
  page.on('request', (request) => sent.push(request))
  await page.goto(e2e.site.url, { waitUntil: 'domcontentloaded' })
  await page.locator('.post-item').first().waitFor({ timeout: 60_000 })
})

afterEach(async (context) => {
  if (context.task.result?.state !== 'fail' || !page) return
  await screenshotFailure(page, context.task.name)
  console.log(`[${context.task.name}] url=${page.url()}`)
})

afterAll(async () => {
  await e2e?.close()
})

describe('a worker applies for 一次性创业补贴', () => {
  it('a guest sees the programmes on 申报 and is asked to sign in to apply', async () => {
    await openTab('申报')
    await shown('.apply-page .programme-item').first().waitFor()
    await expect(shown('.apply-page').innerText()).resolves.toMatch(/一次性创业补贴[\s\S]*创业担保贷款贴息[\s\S]*场地租金补贴[\s\S]*带动就业补贴/)
    await expect(shown('.apply-page__guest').innerText()).resolves.toContain('登录后可以在线申报补贴')
  })

  it('刘建国 signs in, finishes onboarding and joins 兴隆路街道创业群 with its invite code', async () => {
    await openTab('我的')
    await button('选择演示账号登录').click()
    await page.locator('.demo-login__account').first().waitFor()
    await settled()
    await page.locator('.demo-login__account', { hasText: '刘建国' }).click()
    await page.locator('.onboarding__privacy').waitFor()
    await page.locator('.onboarding__consent .nut-checkbox').click()
    await button('同意并继续').click()
    await page.locator('.onboarding__form').waitFor()
    await page.locator('.profile-form__name input').fill('刘建国')
    await page.locator('.profile-form__district input').fill('四方区兴隆路街道')
    await button('保存').click()
    await page.locator('.me-page__name').waitFor()
    await settled()

    await openTab('创业群')
    await shown('.groups-page .page-state--empty .nut-button').click()
    await shown('.join-group__code input').waitFor()
    await settled()
    await shown('.join-group__code input').fill('XL2026')
    await shown('.join-by-code').click()
    await shown('.group-chat').waitFor()
    await settled()
  })

  it('政策自测 says 一次性创业补贴 fits, with what to prepare, and why 场地租金补贴 does not', async () => {
    await openTab('申报')
    await shown('.open-selfcheck').click()
    await shown('.selfcheck-run').waitFor()
    await settled()
    await shown('.selfcheck-displaced').getByText('是', { exact: true }).click()
    await shown('.selfcheck-business').getByText('是', { exact: true }).click()
    await shown('.selfcheck-registered input').fill('3')
    await shown('.selfcheck-insurance input').fill('0')
    await shown('.selfcheck-employees input').fill('0')
    await shown('.selfcheck-incubation').getByText('否', { exact: true }).click()
    await shown('.selfcheck-lease').getByText('否', { exact: true }).click()
    await shown('.selfcheck-run').click()

    const fits = shown('.selfcheck-result--fits').filter({ hasText: '一次性创业补贴' })
    await fits.waitFor()
    await expect(fits.innerText()).resolves.toMatch(/符合条件[\s\S]*身份证正反面[\s\S]*营业执照/)
    const rent = shown('.selfcheck-result--no').filter({ hasText: '场地租金补贴' })
    await expect(rent.innerText()).resolves.toMatch(/暂不符合[\s\S]*·/)
    // Nothing was stored: the check is a read.
    const { rows } = await backend.db.query(`select count(*)::int as n from public.applications where applicant_id = $1`, [WORKER1])
    expect(rows[0].n).toBe(0)
  })

  it('开始申报 asks for the separate consent first, and agreeing creates the draft under the id the phone chose', async () => {
    await fits().locator('.selfcheck-apply').click()
    await shown('.programme-title').waitFor()
    await settled()
    await expect(shown('.programme-page').innerText()).resolves.toMatch(/申报条件[\s\S]*分流职工或已办理失业登记/)
    await shown('.programme-apply').click()
    await shown('.wizard-consent').waitFor()
    await settled()
    await expect(shown('.wizard-consent-next').isDisabled()).resolves.toBe(true)
    await shown('.wizard-agree').click()
    await shown('.wizard-consent-next').click()
    await shown('.wizard-applicant').waitFor()

    const drafts = calls('/rest/v1/rpc/save_application_draft', 'POST')
    expect(drafts.length).toBeGreaterThan(0)
    applicationId = (drafts[0].postDataJSON() as { application_id: string }).application_id
    await expect(application()).resolves.toMatchObject({ status: 'draft', consent_notice_version: '2026-12' })
  })

  it('a wrong ID check digit is said at once in Chinese; the corrected applicant step is saved on the server', async () => {
    await shown('.application-field-real_name input').fill('刘建国')
    await shown('.application-field-resident_id input').fill('370203197003152517')
    await shown('.application-field-resident_id input').blur()
    await expect(shown('.application-field-resident_id .field-error').innerText()).resolves.toContain('校验码不对')
    await shown('.application-field-resident_id input').fill(RESIDENT_ID)
    await shown('.application-field-phone input').fill('13805321234')
    await shown('.application-field-bank_name input').fill('中国农业银行青岛四方支行')
    await shown('.application-field-bank_account input').fill(BANK_ACCOUNT)
    await shown('.wizard-next').click()
    await shown('.wizard-business').waitFor()
    await expect(application()).resolves.toMatchObject({ real_name: '刘建国', resident_id: RESIDENT_ID, phone: '13805321234', bank_account: BANK_ACCOUNT })
  })

  it('a credit code failing its check character is only flagged (将由管家人工核对); the business step is saved', async () => {
    await shown('.application-field-business_name input').fill('青岛建国家电维修部')
    await shown('.application-field-credit_code input').fill('92370203MA3C5B0Q1A')
    await shown('.application-field-credit_code input').blur()
    await expect(shown('.application-field-credit_code .field-warning').innerText()).resolves.toContain('将由管家人工核对')
    await shown('.application-field-registered_on .nut-cell').click()
    await page.locator('.nut-picker-confirm-btn').filter({ visible: true }).click()
    await shown('.application-field-employees input').fill('1')
    await expect(shown('.application-field-requested_amount input').inputValue()).resolves.toBe('10000')
    await shown('.wizard-next').click()
    await shown('.wizard-materials').waitFor()
    await expect(application()).resolves.toMatchObject({ business_name: '青岛建国家电维修部', credit_code_needs_review: true, employees: 1, requested_amount: '10000.00' })
  })

  it('on another phone the same draft resumes from the server at 材料, with what he typed', async () => {
    const other = await e2e.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    const phone = await other.newPage()
    try {
      await phone.goto(e2e.site.url, { waitUntil: 'domcontentloaded' })
      await phone.locator('.app-page').filter({ visible: true }).first().waitFor({ timeout: 60_000 })
      await phone.evaluate(() => {
        location.hash = '#/subpackages/account/pages/login/index'
      })
      await phone.locator('.demo-login__account', { hasText: '刘建国' }).click()
      await phone.locator('.me-page__name').filter({ visible: true }).waitFor()
      await phone.evaluate((programme) => {
        location.hash = `#/subpackages/apply/pages/wizard/index?programme=${programme}`
      }, STARTUP_ONCE)
      await phone.locator('.wizard-materials').filter({ visible: true }).waitFor({ timeout: 30_000 })
      const progress = await phone.locator('.wizard-progress').filter({ visible: true }).innerText()
      expect(progress).toContain('第4步')
      await phone.locator('.wizard-back').filter({ visible: true }).click()
      await expect(phone.locator('.application-field-business_name input').filter({ visible: true }).inputValue()).resolves.toBe('青岛建国家电维修部')
      const drafts = await backend.db.query(`select count(*)::int as n from public.applications where applicant_id = $1`, [WORKER1])
      expect(drafts.rows[0].n).toBe(1)
    } finally {
      await other.close()
    }
  })

  it('each material is a photo uploaded, checked by the server and attached; 下一步 waits until every required one is there', async () => {
    await shown('.wizard-next').click()
    await expect(shown('.wizard-materials .apply-wizard__error').innerText()).resolves.toContain('还缺')
    const keys = ['id_card', 'business_licence', 'unemployment_proof', 'bank_card']
    for (const [n, key] of keys.entries()) {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), shown(`.material-field-${key} .image-uploader__add`).click()])
      await chooser.setFiles(n % 2 ? { name: `${key}.png`, mimeType: 'image/png', buffer: pngFile() } : { name: `${key}.jpg`, mimeType: 'image/jpeg', buffer: jpegFile() })
      await shown(`.material-field-${key} .image-uploader__tile--done`).waitFor({ timeout: 30_000 })
    }
    await expect
      .poll(async () => (await backend.db.query(`select material_key from public.application_materials where application_id = $1 order by material_key`, [applicationId])).rows.map((r) => r.material_key), { timeout: 15_000 })
      .toEqual([...keys].sort())
    const { rows } = await backend.db.query(`select object_path from public.application_materials where application_id = $1`, [applicationId])
    for (const row of rows) expect(row.object_path).toMatch(new RegExp(`^${WORKER1}/${applicationId}/`))
    await shown('.wizard-next').click()
    await shown('.wizard-review').waitFor()
  })

  it('核对 shows the ID and account masked; two taps on 提交 make one submission', async () => {
    const review = await shown('.wizard-review').innerText()
    expect(review).toContain('3702**********2516')
    expect(review).toContain('****4567')
    expect(review).not.toContain(RESIDENT_ID)
    await shown('.wizard-submit').click({ clickCount: 2 })
    await shown('.application-title').waitFor({ timeout: 30_000 })
    await settled()
    expect(calls('/rest/v1/rpc/submit_application', 'POST')).toHaveLength(1)
    await expect(application()).resolves.toMatchObject({ status: 'submitted' })
    const events = await backend.db.query(`select from_status, to_status from public.application_events where application_id = $1 and to_status = 'submitted'`, [applicationId])
    expect(events.rows).toEqual([{ from_status: 'draft', to_status: 'submitted' }])
  })

  it('申报详情 shows 已提交 with the timeline and the masked ID', async () => {
    await expect(shown('.application-detail-status').innerText()).resolves.toBe('已提交')
    const steps = await shown('.timeline-step .timeline-label').allInnerTexts()
    expect(steps).toContain('已提交')
    const text = await shown('.application-detail').innerText()
    expect(text).toContain('3702**********2516')
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/)
  })

  it('我的申报 lists it as 已提交', async () => {
    await openTab('申报')
    await shown('.open-mine').click()
    const item = shown('.my-application').filter({ hasText: '一次性创业补贴' })
    await item.waitFor()
    await expect(item.locator('.application-status').innerText()).resolves.toBe('已提交')
  })

  it('补正 (asked by 李管家): only the listed photo can change; he replaces it and resubmits', async () => {
    // The butler's side is its own page (subpackages/review); here the request is made in the database as 李管家.
    await backend.db.transaction(async (tx) => {
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: BUTLER1, role: 'authenticated' })])
      await tx.query(`set local role authenticated`)
      await tx.query(`select public.request_application_supplement($1, $2::jsonb, $3)`, [
        applicationId,
        JSON.stringify([{ kind: 'material', key: 'id_card', note: '身份证照片反光，请重拍' }]),
        '请重拍身份证',
      ])
    })
    await expect(application()).resolves.toMatchObject({ status: 'needs_supplement' })
    const before = await backend.db.query(`select id, object_path from public.application_materials where application_id = $1 and material_key = 'id_card'`, [applicationId])
    expect(before.rows).toHaveLength(1)

    await shown('.my-application').filter({ hasText: '一次性创业补贴' }).click()
    const supplement = shown('.supplement')
    await supplement.waitFor({ timeout: 30_000 })
    await settled()
    await expect(shown('.application-detail-status').innerText()).resolves.toBe('待补正')
    await expect(supplement.innerText()).resolves.toContain('身份证正反面：身份证照片反光，请重拍')
    // Nothing else is editable: no field inputs, one uploader (the listed material).
    await expect(supplement.locator('input').count()).resolves.toBe(0)
    await expect(shown('.application-detail .image-uploader').count()).resolves.toBe(1)

    await supplement.locator('.material-field-id_card .image-uploader__remove').first().click()
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), supplement.locator('.material-field-id_card .image-uploader__add').click()])
    await chooser.setFiles({ name: 'id-again.jpg', mimeType: 'image/jpeg', buffer: jpegFile() })
    await supplement.locator('.material-field-id_card .image-uploader__tile--done').waitFor({ timeout: 30_000 })
    await expect
      .poll(async () => (await backend.db.query(`select object_path from public.application_materials where application_id = $1 and material_key = 'id_card'`, [applicationId])).rows.map((r) => r.object_path), { timeout: 15_000 })
      .not.toEqual(before.rows.map((r) => r.object_path))
    const after = await backend.db.query(`select count(*)::int as n from public.application_materials where application_id = $1 and material_key = 'id_card'`, [applicationId])
    expect(after.rows[0].n).toBe(1)

    await shown('.resubmit').click()
    await expect.poll(async () => (await application())?.status, { timeout: 15_000 }).toBe('submitted')
    // The page refetches after the resubmission answered; on a busy machine that can land a moment later.
    await expect.poll(() => shown('.application-detail-status').innerText(), { timeout: 15_000 }).toBe('已提交')
    const steps = await shown('.timeline-step .timeline-label').allInnerTexts()
    expect(steps.slice(-2)).toEqual(['待补正', '已重新提交'])
    await expect(shown('.application-detail').innerText()).resolves.toContain('请重拍身份证')
  })

  it('nothing he typed is in the browser storage', async () => {
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))
    for (const secret of [RESIDENT_ID, BANK_ACCOUNT, '13805321234', '青岛建国家电维修部']) expect(stored).not.toContain(secret)
    expect(STARTUP_ONCE).toBeTruthy()
  })
})

function fits() {
  return shown('.selfcheck-result--fits').filter({ hasText: '一次性创业补贴' })
}
