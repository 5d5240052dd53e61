/**
 * Subsidy applications end to end through supabase-js as the people who use them: the draft saved as the
 * worker goes (every bad input refused in Chinese with nothing saved), consent, verified materials, the
 * idempotent submission, review by the butlers of the applicant's group (start, 补正 that locks all but
 * the listed items, approve into the street's monthly batch, reject), 查看 recorded for admins, the review
 * queue, the programme catalogue and the eligibility self-check. Two butlers at once run on PostgreSQL
 * only (two connections; PGlite has one).
 *
 * On top of the seed (group X 兴隆路: butler1 and butler2 butlers, worker2 a member with three
 * applications — a draft of 场地租金补贴, a submitted 带动就业补贴, an approved 一次性创业补贴), worker1 joins
 * X here and applies for 一次性创业补贴.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people, type Client } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'
import { count, failure, one } from '../support/question-desk'

let be: TestBackend
let p: Personas
let data: DataSnapshot

const programmes = {
  startup: '60000000-0000-4000-8000-000000000001',
  loan: '60000000-0000-4000-8000-000000000002',
  rent: '60000000-0000-4000-8000-000000000003',
  jobs: '60000000-0000-4000-8000-000000000004',
} as const
const seeded = {
  draft: '50000000-0000-4000-8000-000000000001',
  submitted: '50000000-0000-4000-8000-000000000002',
  approved: '50000000-0000-4000-8000-000000000003',
} as const

/** A valid resident ID (GB 11643) and credit code (GB 32100). */
const RESIDENT_ID = '370203197005123022'
const CREDIT_CODE = '91370203MA3D5K2N79'
const fields = {
  real_name: '刘建国',
  resident_id: RESIDENT_ID,
  phone: '13800001111',
  bank_name: '青岛农商银行四方支行',
  bank_account: '6228480012345678',
  business_name: '建国早餐店',
  credit_code: CREDIT_CODE,
  registered_on: '2026-03-01',
  employees: 1,
}
const startupMaterials = ['id_card', 'business_licence', 'unemployment_proof', 'bank_card'] as const

beforeAll(async () => {
  be = await startTestBackend()
  await be.db.exec(`insert into public.group_members (group_id, user_id, role) values ('${groups.X}', '${people.worker1}', 'member')`)
  data = await snapshotData(be)
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

const jpeg = () => {
  const b = Buffer.alloc(64, 1)
  Buffer.from('ffd8ffe0', 'hex').copy(b)
  return b
}
const exe = () => {
  const b = Buffer.alloc(64, 0)
  Buffer.from('4d5a9000', 'hex').copy(b) // "MZ": a Windows program
  return b
}

async function save(c: Client, id: string | null, f: Record<string, unknown>, programme: string = programmes.startup) {
  return c.rpc('save_application_draft', { application_id: id as string, programme_id: programme, fields: f as never })
}

/** Uploads a file into the applicant's folder for the application and records verify-upload's verdict. */
async function upload(c: Client, owner: string, app: string, opts: { verdict?: 'passed' | 'failed' | 'none'; bytes?: Buffer } = {}) {
  const name = `${owner}/${app}/${randomUUID()}.jpg`
  const up = await c.storage.from('application-materials').upload(name, opts.bytes ?? jpeg(), { contentType: 'image/jpeg' })
  expect(up.error).toBeNull()
  const verdict = opts.verdict ?? 'passed'
  if (verdict !== 'none') {
    const o = await one<{ version: string }>(be, `select version from storage.objects where bucket_id = 'application-materials' and name = $1`, [name])
    const v = await p.service.rpc('record_upload_verdict', {
      p_owner: owner, p_bucket: 'application-materials', p_name: name, p_version: o.version, p_passed: verdict === 'passed',
      p_kind: verdict === 'passed' ? 'image/jpeg' : (null as unknown as string),
      p_reason: verdict === 'passed' ? (null as unknown as string) : '文件内容与类型不符',
    })
    expect(v.error).toBeNull()
  }
  return name
}

async function attach(c: Client, app: string, key: string, path: string) {
  return c.rpc('attach_application_material', { application_id: app, material_key: key, path })
}

/** worker1's 一次性创业补贴 draft with consent, every field and every material: ready to submit. */
async function readyDraft(): Promise<string> {
  const id = randomUUID()
  expect((await save(p.workerA, id, fields)).error).toBeNull()
  expect((await p.workerA.rpc('record_application_consent', { application_id: id, notice_version: '2026-12' })).error).toBeNull()
  for (const key of startupMaterials) {
    expect((await attach(p.workerA, id, key, await upload(p.workerA, p.ids.workerA, id))).error).toBeNull()
  }
  return id
}

async function submitted(): Promise<string> {
  const id = await readyDraft()
  expect((await p.workerA.rpc('submit_application', { application_id: id })).error).toBeNull()
  return id
}

const row = (id: string) => one(be, `select * from public.applications where id = $1`, [id])
const events = (id: string) =>
  be.db.query(`select from_status, to_status, note, actor_id from public.application_events where application_id = $1 order by id`, [id]).then((r) => r.rows)
const notes = (person: string) =>
  be.db.query(`select kind, title, body, link, push_template from public.notifications where recipient_id = $1 and kind like 'application%' order by id`, [person]).then((r) => r.rows)

// ---------------------------------------------------------------------------------------------------
// the draft
// ---------------------------------------------------------------------------------------------------

describe('the draft lives on the server', () => {
  it('a worker creates a draft under an id of their choosing, in their group and its street', async () => {
    const id = randomUUID()
    const res = await save(p.workerA, id, { real_name: '刘建国', phone: '13800001111' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id, status: 'draft', group_id: groups.X, street: '四方区兴隆路街道', real_name: '刘建国', version: 1 })
  })

  it('saving again updates the same draft and bumps its version; a retried create is the same draft', async () => {
    const id = randomUUID()
    await save(p.workerA, id, { real_name: '刘建国' })
    const again = await save(p.workerA, id, { phone: '13800001111' })
    expect(again.data).toMatchObject({ id, real_name: '刘建国', phone: '13800001111', version: 2 })
    expect(await count(be, `select 1 from public.applications where applicant_id = $1`, [people.worker1])).toBe(1)
  })

  it('the full resident ID and bank account are never in what the API answers, only masked', async () => {
    const id = randomUUID()
    const res = await save(p.workerA, id, fields)
    expect(res.data).toMatchObject({ resident_id: null, bank_account: null, resident_id_masked: '3702**********3022', bank_account_masked: '****5678', real_name_masked: '刘*国' })
    const read = await p.workerA.from('applications').select('resident_id_masked, bank_account_masked').eq('id', id).single()
    expect(read.data).toEqual({ resident_id_masked: '3702**********3022', bank_account_masked: '****5678' })
    const direct = await p.workerA.from('applications').select('resident_id').eq('id', id)
    expect(failure(direct)).toEqual({ status: 403, code: '42501', message: 'permission denied for table applications' })
    const stored = await row(id)
    expect(stored).toMatchObject({ resident_id: RESIDENT_ID, bank_account: '6228480012345678' })
  })

  it('the owner reads the full values through application_sensitive without a record of it', async () => {
    const id = randomUUID()
    await save(p.workerA, id, fields)
    const res = await p.workerA.rpc('application_sensitive', { application_id: id })
    expect(res.data).toEqual([{ resident_id: RESIDENT_ID, bank_account: '6228480012345678' }])
    expect(await count(be, `select 1 from public.application_reveals`)).toBe(0)
  })

  it('a worker in no group is asked to join one first', async () => {
    await be.db.query(`delete from public.group_members where user_id = $1`, [people.worker1])
    const res = await save(p.workerA, randomUUID(), {})
    expect(failure(res)).toEqual({ status: 400, code: 'P0001', message: '请先加入所在街道的创业群，再申报补贴' })
  })
})

describe('bad input is refused in Chinese and nothing is saved', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['a wrong resident-ID check digit', { resident_id: '370203197005123021' }, 'resident_id', '身份证号码校验位不正确，请核对后重新填写'],
    ['a 15-digit legacy resident ID', { resident_id: '370203700512302' }, 'resident_id', '不支持15位旧身份证号码，请填写18位居民身份证号码'],
    ['a resident ID of the wrong length', { resident_id: '37020319700512' }, 'resident_id', '身份证号码应为18位（最后一位可以是X）'],
    ['a registration date in the future', { registered_on: '2099-01-01' }, 'registered_on', '成立日期不能晚于今天'],
    ['a registration date that is no date', { registered_on: '2026-02-30' }, 'registered_on', '成立日期格式不正确'],
    ['a phone number that is not a mobile', { phone: '0532-8888888' }, 'phone', '请填写11位手机号码'],
    ['a bank account with letters', { bank_account: '6228abc' }, 'bank_account', '银行账号应为12到30位数字'],
    ['a credit code of the wrong shape', { credit_code: '12345' }, 'credit_code', '统一社会信用代码应为18位数字或大写字母'],
    ['employees out of range', { employees: 10000 }, 'employees', '从业人数应为0到9999之间的整数'],
    ['an amount above the programme maximum', { requested_amount: 20000 }, 'requested_amount', '申请金额应大于0元且不超过10000元'],
    ['a field the form does not have', { status: 'approved' }, 'status', '不支持的申报字段：status'],
    ['a field given as an object', { real_name: { first: '刘' } }, 'real_name', '真实姓名格式不正确'],
  ]
  for (const [what, bad, hint, message] of cases) {
    it(`${what}: 22023 with the field as hint, and the draft unchanged`, async () => {
      const id = randomUUID()
      await save(p.workerA, id, { real_name: '刘建国' })
      const before = await row(id)
      const res = await save(p.workerA, id, { phone: '13900002222', ...bad })
      expect(failure(res)).toEqual({ status: 400, code: '22023', message })
      expect((res.error as { hint?: string }).hint).toBe(hint)
      expect(await row(id)).toEqual(before)
    })
  }

  it('a bad field in the first save creates no draft at all', async () => {
    const id = randomUUID()
    const res = await save(p.workerA, id, { resident_id: '370203197005123021' })
    expect(res.error?.message).toBe('身份证号码校验位不正确，请核对后重新填写')
    expect(await count(be, `select 1 from public.applications where id = $1`, [id])).toBe(0)
  })

  it('fields that are not an object, or far too large, are refused', async () => {
    const id = randomUUID()
    expect(failure(await save(p.workerA, id, ['x'] as never))).toEqual({ status: 400, code: '22023', message: '申报内容格式不正确' })
    expect(failure(await save(p.workerA, id, { real_name: '刘'.repeat(20_000) }))).toEqual({ status: 400, code: '22023', message: '申报内容过长' })
    expect(await count(be, `select 1 from public.applications where id = $1`, [id])).toBe(0)
  })

  it('a credit code that fails the GB 32100 check digit is flagged for review, not refused', async () => {
    const id = randomUUID()
    const res = await save(p.workerA, id, { credit_code: '91370203MA3D5K2N70' })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ credit_code: '91370203MA3D5K2N70', credit_code_needs_review: true })
    expect((await save(p.workerA, id, { credit_code: CREDIT_CODE })).data).toMatchObject({ credit_code_needs_review: false })
  })

  it('an application to a closed programme is refused', async () => {
    await be.db.query(`update public.subsidy_programmes set closes_on = current_date - 1 where id = $1`, [programmes.startup])
    const id = randomUUID()
    const res = await save(p.workerA, id, {})
    expect(failure(res)).toEqual({ status: 400, code: 'P0001', message: '补贴项目“一次性创业补贴”已截止申报' })
    expect(await count(be, `select 1 from public.applications where id = $1`, [id])).toBe(0)
  })

  it('a second application to a programme already granted is refused', async () => {
    const res = await save(p.workerB, randomUUID(), {}, programmes.startup)
    expect(failure(res)).toEqual({ status: 400, code: 'P0001', message: '您已获得过“一次性创业补贴”，不能重复申请' })
  })

  it('a second live application to the same programme is refused', async () => {
    const res = await save(p.workerB, randomUUID(), {}, programmes.rent)
    expect(failure(res)).toEqual({ status: 400, code: 'P0001', message: '您已有一份“场地租金补贴”的申报，请在“我的申报”中继续' })
  })

  it("someone else's application id is not found (a draft not even by its reviewers), and a reviewer may not edit it", async () => {
    expect(failure(await save(p.workerA, seeded.draft, { phone: '13900002222' }))).toEqual({ status: 500, code: 'P0002', message: '找不到这份申报' })
    expect(failure(await save(p.butlerX, seeded.draft, { phone: '13900002222' }))).toEqual({ status: 500, code: 'P0002', message: '找不到这份申报' })
    expect(failure(await save(p.butlerX, seeded.submitted, { phone: '13900002222' }))).toEqual({ status: 403, code: '42501', message: '只有申请人本人可以修改申报' })
    expect((await row(seeded.draft)).phone).toBe('13953201234')
  })
})

// ---------------------------------------------------------------------------------------------------
// materials
// ---------------------------------------------------------------------------------------------------

describe('materials: only verified files of the applicant for this application', () => {
  it('a verified photo is attached under one of the programme\'s material keys', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const path = await upload(p.workerA, p.ids.workerA, id)
    const res = await attach(p.workerA, id, 'id_card', path)
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ application_id: id, material_key: 'id_card', object_path: path, mime: 'image/jpeg', size: 64 })
    // a retry is the same material
    expect((await attach(p.workerA, id, 'id_card', path)).data).toMatchObject({ id: (res.data as { id: string }).id })
  })

  it('an uploaded file that was not verified yet is refused', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const path = await upload(p.workerA, p.ids.workerA, id, { verdict: 'none' })
    expect(failure(await attach(p.workerA, id, 'id_card', path))).toEqual({ status: 400, code: '22023', message: '文件还没有通过校验，请重新上传（仅支持20MB以内的照片或PDF）' })
    expect(await count(be, `select 1 from public.application_materials where application_id = $1`, [id])).toBe(0)
  })

  it('an .exe renamed .jpg fails verification and is refused', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const path = await upload(p.workerA, p.ids.workerA, id, { verdict: 'failed', bytes: exe() })
    expect(failure(await attach(p.workerA, id, 'id_card', path))).toEqual({ status: 400, code: '22023', message: '文件还没有通过校验，请重新上传（仅支持20MB以内的照片或PDF）' })
    expect(await count(be, `select 1 from public.application_materials where application_id = $1`, [id])).toBe(0)
  })

  it('a file over 20 MB never reaches the bucket', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const up = await p.workerA.storage.from('application-materials')
      .upload(`${p.ids.workerA}/${id}/huge.jpg`, Buffer.alloc(20 * 1024 * 1024 + 1, 1), { contentType: 'image/jpeg' })
    expect(up.error).toMatchObject({ statusCode: '413' })
    expect(await count(be, `select 1 from storage.objects where name like $1`, [`%/${id}/%`])).toBe(0)
  })

  it('a file of another folder, a PDF where a photo is asked, an unknown key and too many files are refused', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const other = randomUUID()
    await save(p.workerA, other, {}, programmes.jobs)
    const elsewhere = await upload(p.workerA, p.ids.workerA, other)
    expect(failure(await attach(p.workerA, id, 'id_card', elsewhere))).toEqual({ status: 403, code: '42501', message: '只能使用本人为这份申报上传的文件' })
    const path = await upload(p.workerA, p.ids.workerA, id)
    expect(failure(await attach(p.workerA, id, 'passport', path))).toEqual({ status: 400, code: '22023', message: '这个补贴项目不需要这项材料' })
    await be.db.query(`update private.verified_objects set kind = 'application/pdf' where name = $1`, [path])
    expect(failure(await attach(p.workerA, id, 'bank_card', path))).toEqual({ status: 400, code: '22023', message: '材料“本人银行卡”需要上传照片' })
    await be.db.query(`update private.verified_objects set kind = 'image/jpeg' where name = $1`, [path])
    expect((await attach(p.workerA, id, 'bank_card', path)).error).toBeNull()
    const second = await upload(p.workerA, p.ids.workerA, id)
    expect(failure(await attach(p.workerA, id, 'bank_card', second))).toEqual({ status: 400, code: '22023', message: '材料“本人银行卡”最多上传1个文件，请先删除再上传' })
  })

  it('an attached file cannot be replaced or deleted in Storage; detached first, it can', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const path = await upload(p.workerA, p.ids.workerA, id)
    const m = (await attach(p.workerA, id, 'id_card', path)).data as { id: string }
    const swap = await p.workerA.storage.from('application-materials').upload(path, exe(), { contentType: 'image/jpeg', upsert: true })
    expect(swap.error).toMatchObject({ statusCode: '403' })
    expect((await p.workerA.storage.from('application-materials').remove([path])).data).toEqual([])
    expect((await p.workerA.rpc('remove_application_material', { material_id: m.id })).error).toBeNull()
    expect((await p.workerA.storage.from('application-materials').remove([path])).data).toHaveLength(1)
  })

  it('nothing is uploaded into the folder of an application that is not the uploader\'s or not editable', async () => {
    const notMine = await p.workerA.storage.from('application-materials').upload(`${p.ids.workerA}/${seeded.draft}/x.jpg`, jpeg(), { contentType: 'image/jpeg' })
    expect(notMine.error).toMatchObject({ statusCode: '403' })
    const locked = await p.workerB.storage.from('application-materials').upload(`${p.ids.workerB}/${seeded.submitted}/x.jpg`, jpeg(), { contentType: 'image/jpeg' })
    expect(locked.error).toMatchObject({ statusCode: '403' })
    const open = await p.workerB.storage.from('application-materials').upload(`${p.ids.workerB}/${seeded.draft}/${randomUUID()}.jpg`, jpeg(), { contentType: 'image/jpeg' })
    expect(open.error).toBeNull()
  })

  it("the group's butlers read an applicant's materials; a worker of another application does not", async () => {
    const id = await submitted()
    const path = (await one<{ object_path: string }>(be, `select object_path from public.application_materials where application_id = $1 limit 1`, [id])).object_path
    expect((await p.butlerX.storage.from('application-materials').download(path)).error).toBeNull()
    expect((await p.admin.storage.from('application-materials').download(path)).error).toBeNull()
    expect((await p.workerB.storage.from('application-materials').download(path)).error).toMatchObject({ statusCode: '404' })
    const signed = await p.butlerX.storage.from('application-materials').createSignedUrl(path, 60)
    expect(signed.error).toBeNull()
  })
})

// ---------------------------------------------------------------------------------------------------
// submitting
// ---------------------------------------------------------------------------------------------------

describe('submitting', () => {
  it('refuses without consent, without a required field, or without a required material', async () => {
    const id = randomUUID()
    await save(p.workerA, id, { real_name: '刘建国' })
    const submit = () => p.workerA.rpc('submit_application', { application_id: id })
    expect(failure(await submit())).toEqual({ status: 400, code: '22023', message: '请先阅读并同意个人信息处理说明' })
    await p.workerA.rpc('record_application_consent', { application_id: id, notice_version: '2026-12' })
    expect(failure(await submit())).toEqual({ status: 400, code: '22023', message: '请填写：身份证号、手机号码、开户银行、银行账号、企业名称、统一社会信用代码、成立日期、从业人数' })
    await save(p.workerA, id, fields)
    expect(failure(await submit())).toEqual({ status: 400, code: '22023', message: '请上传：身份证正反面' })
    expect((await row(id)).status).toBe('draft')
  })

  it('records the consent with its notice version, also among the person\'s consents', async () => {
    const id = randomUUID()
    await save(p.workerA, id, {})
    const res = await p.workerA.rpc('record_application_consent', { application_id: id, notice_version: '2026-12' })
    expect(res.data).toMatchObject({ consent_notice_version: '2026-12' })
    expect(await count(be, `select 1 from public.consents where user_id = $1 and purpose = 'personal_info' and version = '2026-12'`, [people.worker1])).toBe(1)
    expect(failure(await p.workerA.rpc('record_application_consent', { application_id: id, notice_version: '' }))).toEqual({ status: 400, code: '22023', message: '个人信息处理说明的版本不正确' })
  })

  it('a complete draft is submitted with one event and one notice; submitting twice makes one submission', async () => {
    const id = await readyDraft()
    const [a, b] = await Promise.all([
      p.workerA.rpc('submit_application', { application_id: id }),
      p.workerA.rpc('submit_application', { application_id: id }),
    ])
    expect(a.data).toMatchObject({ status: 'submitted', requested_amount: 10000 })
    expect(b.data).toMatchObject({ status: 'submitted' })
    expect((await p.workerA.rpc('submit_application', { application_id: id })).data).toMatchObject({ status: 'submitted' })
    expect(await events(id)).toEqual([{ from_status: 'draft', to_status: 'submitted', note: '', actor_id: people.worker1 }])
    expect(await notes(people.worker1)).toEqual([{
      kind: 'application_status', title: '申报已提交：一次性创业补贴', body: '您的“一次性创业补贴”申报已提交，创业管家将尽快审核，请留意审核进度。',
      link: `/subpackages/apply/pages/detail/index?id=${id}`, push_template: 'application_status',
    }])
  })

  it('a submitted application can no longer be edited, nor its materials changed', async () => {
    const id = await submitted()
    expect(failure(await save(p.workerA, id, { phone: '13900002222' }))).toEqual({ status: 400, code: 'P0001', message: '申报已提交，不能再修改' })
    const m = await one<{ id: string }>(be, `select id from public.application_materials where application_id = $1 limit 1`, [id])
    expect(failure(await p.workerA.rpc('remove_application_material', { material_id: m.id }))).toEqual({ status: 400, code: 'P0001', message: '申报已提交，不能再修改材料' })
  })
})

// ---------------------------------------------------------------------------------------------------
// review
// ---------------------------------------------------------------------------------------------------

describe('review by the butlers of the applicant\'s group', () => {
  it('start review, approve with an amount into this month\'s batch of the street, each step told to the applicant', async () => {
    const id = await submitted()
    const start = await p.butlerX.rpc('start_application_review', { application_id: id })
    expect(start.data).toMatchObject({ status: 'under_review', reviewer_id: people.butler1 })
    const ok = await p.butlerX.rpc('approve_application', { application_id: id, amount: 10000, note: '材料齐全' })
    expect(ok.error).toBeNull()
    const batch = await one(be, `select b.street, b.month, b.status from public.application_batches b join public.applications a on a.batch_id = b.id where a.id = $1`, [id])
    const month = await one<{ m: string }>(be, `select date_trunc('month', now() at time zone 'Asia/Shanghai')::date::text as m`)
    expect({ ...batch, month: String((batch.month as Date).toISOString?.() ?? batch.month).slice(0, 10) }).toMatchObject({ street: '四方区兴隆路街道', status: 'open' })
    expect(await count(be, `select 1 from public.application_batches where street = '四方区兴隆路街道' and month = $1::date`, [month.m])).toBe(1)
    expect(ok.data).toMatchObject({ status: 'approved', approved_amount: 10000 })
    expect((await events(id)).map((e) => e.to_status)).toEqual(['submitted', 'under_review', 'approved'])
    expect((await notes(people.worker1)).map((n) => n.title)).toEqual(['申报已提交：一次性创业补贴', '申报审核中：一次性创业补贴', '申报已通过：一次性创业补贴'])
  })

  it('the amount must be above 0 and at most the programme maximum; a rejection needs a reason', async () => {
    const id = await submitted()
    expect(failure(await p.butlerX.rpc('approve_application', { application_id: id, amount: 10001 }))).toEqual({ status: 400, code: '22023', message: '核定金额应大于0元且不超过10000元' })
    expect(failure(await p.butlerX.rpc('approve_application', { application_id: id, amount: 0 }))).toEqual({ status: 400, code: '22023', message: '核定金额应大于0元且不超过10000元' })
    expect(failure(await p.butlerX.rpc('reject_application', { application_id: id, reason: '否' }))).toEqual({ status: 400, code: '22023', message: '请填写不通过的原因（2到500个字）' })
    expect((await row(id)).status).toBe('submitted')
  })

  it('a rejection tells the applicant the reason and how to appeal, and they may apply again', async () => {
    const id = await submitted()
    const res = await p.butlerX.rpc('reject_application', { application_id: id, reason: '营业执照登记时间早于分流时间' })
    expect(res.data).toMatchObject({ status: 'rejected', reject_reason: '营业执照登记时间早于分流时间' })
    expect((await notes(people.worker1)).at(-1)).toMatchObject({
      title: '申报未通过：一次性创业补贴',
      body: '原因：营业执照登记时间早于分流时间。如有异议，可在收到本通知之日起15日内向所在街道劳动保障服务站申诉。',
    })
    expect((await save(p.workerA, randomUUID(), {})).error).toBeNull()
  })

  it('a decided application cannot be decided again: the second butler is told to refresh', async () => {
    const id = await submitted()
    await p.butlerX.rpc('approve_application', { application_id: id, amount: 10000 })
    expect(failure(await p.butlerY.rpc('reject_application', { application_id: id, reason: '重复审核' }))).toEqual({ status: 400, code: 'P0001', message: '该申报已被其他管家处理，请刷新' })
    expect(failure(await p.butlerY.rpc('approve_application', { application_id: id, amount: 5000 }))).toEqual({ status: 400, code: 'P0001', message: '该申报已被其他管家处理，请刷新' })
    expect(await row(id)).toMatchObject({ status: 'approved', approved_amount: '10000.00' })
  })

  it('an applicant cannot review their own application, and a butler of another group cannot see it', async () => {
    const id = await submitted()
    expect(failure(await p.workerA.rpc('approve_application', { application_id: id, amount: 10000 }))).toEqual({ status: 403, code: '42501', message: '只有所在创业群的管家可以审核这份申报' })
    await be.db.query(`update public.group_members set role = 'member' where user_id = $1 and group_id = $2`, [people.butler2, groups.X])
    expect(failure(await p.butlerY.rpc('approve_application', { application_id: id, amount: 10000 }))).toEqual({ status: 500, code: 'P0002', message: '找不到这份申报' })
    expect((await row(id)).status).toBe('submitted')
  })

  it('approving when this month\'s batch is locked puts the application into next month\'s', async () => {
    const id = await submitted()
    await be.db.query(`update public.application_batches set status = 'locked', locked_at = now() where id = '70000000-0000-4000-8000-000000000001'`)
    await p.butlerX.rpc('approve_application', { application_id: id, amount: 8000 })
    const b = await one<{ next: boolean }>(be, `
      select b.month = (date_trunc('month', now() at time zone 'Asia/Shanghai') + interval '1 month')::date as next
        from public.applications a join public.application_batches b on b.id = a.batch_id where a.id = $1`, [id])
    expect(b.next).toBe(true)
  })
})

describe('the 补正 loop locks everything not listed', () => {
  async function needsSupplement() {
    const id = await submitted()
    const res = await p.butlerX.rpc('request_application_supplement', {
      application_id: id,
      items: [{ kind: 'material', key: 'id_card', note: '照片反光看不清' }, { kind: 'field', key: 'bank_account' }] as never,
      note: '请尽快补正',
    })
    expect(res.error).toBeNull()
    return id
  }

  it('the applicant is told exactly what to redo', async () => {
    const id = await needsSupplement()
    const mine = await p.workerA.from('applications').select('status, supplement').eq('id', id).single()
    expect(mine.data).toEqual({
      status: 'needs_supplement',
      supplement: [
        { kind: 'material', key: 'id_card', name: '身份证正反面', note: '照片反光看不清' },
        { kind: 'field', key: 'bank_account', name: '银行账号', note: '' },
      ],
    })
    expect((await notes(people.worker1)).at(-1)).toMatchObject({
      title: '申报需要补正：一次性创业补贴', body: '请补正：身份证正反面、银行账号。请尽快补正。其余内容已锁定，补正后重新提交即可。',
    })
  })

  it('fields and materials not listed are locked; listed ones change', async () => {
    const id = await needsSupplement()
    expect(failure(await save(p.workerA, id, { phone: '13900002222' }))).toEqual({ status: 403, code: '42501', message: '该项已锁定：手机号码不在补正清单中' })
    expect(failure(await save(p.workerA, id, { bank_account: '6228480099998888', phone: '13900002222' }))).toEqual({ status: 403, code: '42501', message: '该项已锁定：手机号码不在补正清单中' })
    expect((await save(p.workerA, id, { bank_account: '6228480099998888' })).data).toMatchObject({ bank_account_masked: '****8888' })
    // a whole step sent again: the unlisted fields unchanged, the listed one changed
    expect((await save(p.workerA, id, { real_name: '刘建国', phone: '138 0000 1111', bank_account: '6228480077776666' })).data).toMatchObject({ bank_account_masked: '****6666' })
    const licence = await one<{ id: string }>(be, `select id from public.application_materials where application_id = $1 and material_key = 'business_licence'`, [id])
    expect(failure(await p.workerA.rpc('remove_application_material', { material_id: licence.id }))).toEqual({ status: 403, code: '42501', message: '该项已锁定：这项材料不在补正清单中' })
    expect(failure(await attach(p.workerA, id, 'business_licence', await upload(p.workerA, p.ids.workerA, id)))).toEqual({ status: 403, code: '42501', message: '该项已锁定：这项材料不在补正清单中' })
  })

  it('resubmitting needs the listed material uploaded again, then goes back to the reviewer', async () => {
    const id = await needsSupplement()
    expect(failure(await p.workerA.rpc('submit_application', { application_id: id }))).toEqual({ status: 400, code: '22023', message: '请按补正要求重新上传：身份证正反面' })
    const old = await one<{ id: string }>(be, `select id from public.application_materials where application_id = $1 and material_key = 'id_card'`, [id])
    expect((await p.workerA.rpc('remove_application_material', { material_id: old.id })).error).toBeNull()
    expect((await attach(p.workerA, id, 'id_card', await upload(p.workerA, p.ids.workerA, id))).error).toBeNull()
    const res = await p.workerA.rpc('submit_application', { application_id: id })
    expect(res.data).toMatchObject({ status: 'submitted', supplement: null, reviewer_id: people.butler1 })
    expect((await events(id)).map((e) => e.to_status)).toEqual(['submitted', 'needs_supplement', 'submitted'])
    expect(await notes(people.butler1)).toEqual([{
      kind: 'application_resubmitted', title: '申报已补正：一次性创业补贴', body: '刘*国已按补正要求重新提交，请重新审核。',
      link: `/subpackages/review/pages/application/index?id=${id}`, push_template: 'application_status',
    }])
  })

  it('a 补正 list must name known fields or the programme\'s materials', async () => {
    const id = await submitted()
    const ask = (items: unknown) => p.butlerX.rpc('request_application_supplement', { application_id: id, items: items as never })
    expect(failure(await ask([]))).toEqual({ status: 400, code: '22023', message: '请选择需要补正的材料或信息' })
    expect(failure(await ask([{ kind: 'material', key: 'lease_contract' }]))).toEqual({ status: 400, code: '22023', message: '补正清单中有不认识的项目：lease_contract' })
    expect(failure(await ask([{ kind: 'field', key: 'status' }]))).toEqual({ status: 400, code: '22023', message: '补正清单中有不认识的项目：status' })
    expect(failure(await ask('x'))).toEqual({ status: 400, code: '22023', message: '请选择需要补正的材料或信息' })
    expect(failure(await ask(Array.from({ length: 21 }, () => ({ kind: 'field', key: 'phone' }))))).toEqual({ status: 400, code: '22023', message: '补正清单过长' })
    expect((await row(id)).status).toBe('submitted')
  })
})

// ---------------------------------------------------------------------------------------------------
// 查看, the queue
// ---------------------------------------------------------------------------------------------------

describe('查看 is recorded and visible to admins', () => {
  it("a butler's look at the full resident ID and bank account is recorded; admins read the record", async () => {
    const res = await p.butlerX.rpc('application_sensitive', { application_id: seeded.submitted })
    expect(res.data).toEqual([{ resident_id: '370203196808234012', bank_account: '6231900012345678901' }])
    const admin = await p.admin.from('application_reveals').select('application_id, field, actor_id').order('field')
    expect(admin.data).toEqual([
      { application_id: seeded.submitted, field: 'bank_account', actor_id: people.butler1 },
      { application_id: seeded.submitted, field: 'resident_id', actor_id: people.butler1 },
    ])
    expect((await p.butlerY.from('application_reveals').select('id')).data).toEqual([])
    expect((await p.workerB.from('application_reveals').select('id')).data).toEqual([])
  })

  it('a worker cannot reveal another person\'s values', async () => {
    expect(failure(await p.workerA.rpc('application_sensitive', { application_id: seeded.submitted }))).toEqual({ status: 500, code: 'P0002', message: '找不到这份申报' })
  })
})

describe('the review queue', () => {
  type QueueRow = { id: string; status: string; applicant_name: string; programme_name: string; resident_id_masked: string; submitted_at: string }
  it("a butler sees their groups' submitted applications newest first, masked, with names; drafts never", async () => {
    const id = await submitted()
    const res = await p.butlerX.rpc('application_review_queue', {})
    const rows = res.data as QueueRow[]
    expect(rows.map((r) => r.id)).toEqual([id, seeded.submitted, seeded.approved])
    expect(rows[0]).toMatchObject({ status: 'submitted', applicant_name: '刘建国', programme_name: '一次性创业补贴', resident_id_masked: '3702**********3022' })
    expect(rows[0]).not.toHaveProperty('resident_id')
    const page2 = await p.butlerX.rpc('application_review_queue', { max_rows: 2, before: rows[1]!.submitted_at })
    expect((page2.data as QueueRow[]).map((r) => r.id)).toEqual([seeded.approved])
    const waiting = await p.butlerX.rpc('application_review_queue', { status_filter: 'approved' })
    expect((waiting.data as QueueRow[]).map((r) => r.id)).toEqual([seeded.approved])
  })

  it('a worker\'s queue is empty; an admin\'s holds every group', async () => {
    expect((await p.workerB.rpc('application_review_queue', {})).data).toEqual([])
    expect(((await p.admin.rpc('application_review_queue', {})).data as QueueRow[]).map((r) => r.id).sort()).toEqual([seeded.approved, seeded.submitted].sort())
  })
})

// ---------------------------------------------------------------------------------------------------
// history is append-only
// ---------------------------------------------------------------------------------------------------

describe('history cannot be rewritten', () => {
  it('not even the database owner updates or deletes an application event', async () => {
    await expect(be.db.query(`update public.application_events set note = '改写' where application_id = $1`, [seeded.approved])).rejects.toThrow('历史记录不能修改或删除')
    await expect(be.db.query(`delete from public.application_events where application_id = $1`, [seeded.approved])).rejects.toThrow('历史记录不能修改或删除')
  })
})

// ---------------------------------------------------------------------------------------------------
// the catalogue and the self-check
// ---------------------------------------------------------------------------------------------------

describe('the programme catalogue', () => {
  it('everyone reads the four seeded programmes in order, with rules and materials', async () => {
    const res = await p.anon.from('subsidy_programmes').select('code, name, materials').order('sort_order')
    expect((res.data ?? []).map((r) => r.code)).toEqual(['startup_once', 'loan_interest', 'rent', 'job_creation'])
    expect(((res.data ?? [])[0]!.materials as { key: string }[]).map((m) => m.key)).toEqual([...startupMaterials])
  })

  it('an admin adds and changes a programme; a bad rule is refused in Chinese; a butler may not', async () => {
    const made = await p.admin.rpc('save_subsidy_programme', { programme: { code: 'training', name: '创业培训补贴', max_amount: 1500, eligibility: [{ rule: 'displaced_worker' }] } as never })
    expect(made.data).toMatchObject({ code: 'training', name: '创业培训补贴', max_amount: 1500, active: true })
    const id = (made.data as { id: string }).id
    expect((await p.admin.rpc('save_subsidy_programme', { programme: { id, active: false } as never })).data).toMatchObject({ id, active: false })
    expect((await p.workerA.from('subsidy_programmes').select('id').eq('id', id)).data).toEqual([])
    expect(failure(await p.admin.rpc('save_subsidy_programme', { programme: { code: 'x2', name: '坏规则', max_amount: 1, eligibility: [{ rule: 'magic' }] } as never }))).toEqual({ status: 400, code: '22023', message: '申请条件格式不正确' })
    expect(failure(await p.admin.rpc('save_subsidy_programme', { programme: { code: 'Bad Code', name: '坏代码', max_amount: 1 } as never })).message).toMatch(/^补贴项目的内容不符合要求/)
    expect(failure(await p.butlerX.rpc('save_subsidy_programme', { programme: { code: 'nope', name: '不行', max_amount: 1 } as never }))).toEqual({ status: 403, code: '42501', message: '只有管理员可以维护补贴项目' })
  })
})

describe('the eligibility self-check', () => {
  type Fit = { code: string; fits: boolean; reasons: string[] }
  it('tells which programmes fit, why the others do not, and what to prepare; anyone may ask', async () => {
    const res = await p.anon.rpc('eligibility_check', {
      answers: { displaced_worker: true, has_business: true, registered_months: 6, social_insurance_months: 4, employees: 0, in_incubation_base: false, has_lease: false, granted_codes: [] } as never,
    })
    expect(res.error).toBeNull()
    const byCode = Object.fromEntries((res.data as Fit[]).map((r) => [r.code, r]))
    expect(byCode.startup_once).toMatchObject({ fits: true, reasons: [] })
    expect(byCode.rent).toMatchObject({ fits: false, reasons: ['需有经营场所租赁合同'] })
    expect(byCode.job_creation).toMatchObject({ fits: false, reasons: ['需吸纳就业至少1人', '需已缴纳社会保险满6个月'] })
    expect((res.data as { materials: unknown[] }[])[0]!.materials).toHaveLength(4)
  })

  it('a programme already granted does not fit again; answers that are not an object are refused', async () => {
    const res = await p.workerB.rpc('eligibility_check', { answers: { displaced_worker: true, has_business: true, registered_months: 6, granted_codes: ['startup_once'] } as never })
    expect((res.data as Fit[]).find((r) => r.code === 'startup_once')).toMatchObject({ fits: false, reasons: ['已享受过该补贴，不能重复申请'] })
    expect(failure(await p.anon.rpc('eligibility_check', { answers: [1, 2] as never }))).toEqual({ status: 400, code: '22023', message: '自测答案格式不正确' })
    expect(failure(await p.anon.rpc('eligibility_check', { answers: { employees: 'many' } as never }))).toEqual({ status: 400, code: '22023', message: '自测答案格式不正确' })
  })
})

// ---------------------------------------------------------------------------------------------------
// two butlers at once (PostgreSQL: two connections; PGlite has one)
// ---------------------------------------------------------------------------------------------------

describe.runIf(Boolean(process.env.DATABASE_URL) && !process.env.SUPABASE_URL)('two butlers at once', () => {
  async function databaseUrl() {
    const r = await one<{ db: string }>(be, `select current_database() as db`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${r.db}`
    return url.toString()
  }

  /** Holds `first` open in a transaction, starts `second` (which must wait), commits `first`, returns how `second` ended. */
  async function race(first: { sub: string; sql: string; params: unknown[] }, second: { sub: string; sql: string; params: unknown[] }) {
    const url = await databaseUrl()
    const a = new pg.Client({ connectionString: url })
    const b = new pg.Client({ connectionString: url })
    await a.connect()
    await b.connect()
    const as = async (c: pg.Client, sub: string) => {
      await c.query('begin')
      await c.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`, [JSON.stringify({ sub, role: 'authenticated' })])
    }
    try {
      await as(a, first.sub)
      await a.query(first.sql, first.params)
      await as(b, second.sub)
      const pending = b.query(second.sql, second.params).then(
        async () => { await b.query('commit'); return 'ok' },
        async (e: { code: string; message: string }) => { await b.query('rollback'); return `${e.code} ${e.message}` },
      )
      let waiting = 0
      for (let i = 0; i < 40 && waiting === 0; i++) {
        const r = await be.db.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)
        waiting = Number(r.rows[0]!.n)
        if (waiting === 0) await new Promise((r) => setTimeout(r, 50))
      }
      expect(waiting, 'the second call waits on the application lock').toBe(1)
      await a.query('commit')
      return await pending
    } finally {
      await a.end()
      await b.end()
    }
  }

  it('two butlers approving one application at once: one approval, one event, the second told to refresh', async () => {
    const id = await submitted()
    const outcome = await race(
      { sub: people.butler1, sql: `select public.approve_application($1, 10000)`, params: [id] },
      { sub: people.butler2, sql: `select public.approve_application($1, 6000)`, params: [id] },
    )
    expect(outcome).toBe('P0001 该申报已被其他管家处理，请刷新')
    expect(await row(id)).toMatchObject({ status: 'approved', approved_amount: '10000.00', reviewer_id: people.butler1 })
    expect(await count(be, `select 1 from public.application_events where application_id = $1 and to_status = 'approved'`, [id])).toBe(1)
  })

  it('one butler approves while the other rejects: exactly one decision stands', async () => {
    const id = await submitted()
    const outcome = await race(
      { sub: people.butler2, sql: `select public.reject_application($1, '材料不全')`, params: [id] },
      { sub: people.butler1, sql: `select public.approve_application($1, 10000)`, params: [id] },
    )
    expect(outcome).toBe('P0001 该申报已被其他管家处理，请刷新')
    expect(await row(id)).toMatchObject({ status: 'rejected', approved_amount: null, batch_id: null })
  })

  it('an approval while the batch is being locked waits and then joins next month\'s batch', async () => {
    const id = await submitted()
    const url = await databaseUrl()
    const job = new pg.Client({ connectionString: url }) // the lock job, as the database owner
    const butler = new pg.Client({ connectionString: url })
    await job.connect()
    await butler.connect()
    try {
      await job.query('begin')
      await job.query(`update public.application_batches set status = 'locked', locked_at = now() where id = '70000000-0000-4000-8000-000000000001'`)
      await butler.query('begin')
      await butler.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`, [JSON.stringify({ sub: people.butler1, role: 'authenticated' })])
      const pending = butler.query(`select public.approve_application($1, 10000)`, [id]).then(() => butler.query('commit'))
      let waiting = 0
      for (let i = 0; i < 40 && waiting === 0; i++) {
        const r = await be.db.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)
        waiting = Number(r.rows[0]!.n)
        if (waiting === 0) await new Promise((r) => setTimeout(r, 50))
      }
      expect(waiting, 'the approval waits for the lock of the batch').toBe(1)
      await job.query('commit')
      await pending
    } finally {
      await job.end()
      await butler.end()
    }
    const r = await one<{ next: boolean }>(be, `
      select b.month = (date_trunc('month', now() at time zone 'Asia/Shanghai') + interval '1 month')::date as next
        from public.applications a join public.application_batches b on b.id = a.batch_id where a.id = $1`, [id])
    expect(r.next).toBe(true)
  })
})

describe('an applicant who deletes their account', () => {
  it('takes their applications and their history with them; nobody else\'s rows change', async () => {
    const mine = await submitted()
    expect((await p.workerA.rpc('delete_my_account')).error).toBeNull()
    expect(await count(be, `select 1 from public.applications where id = $1`, [mine])).toBe(0)
    expect(await count(be, `select 1 from public.application_events where application_id = $1`, [mine])).toBe(0)
    expect(await count(be, `select 1 from public.application_events where application_id = $1`, [seeded.approved])).toBe(3)
  })
})
