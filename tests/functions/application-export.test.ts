/**
 * application-export on real Deno behind the local backend: a butler downloads a locked batch's roster
 * as .xlsx, and the test opens the workbook (tests/support/xlsx.ts) and reads its sheet as the bureau's
 * clerk would. Sections: the roster / who may export / bad requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { batchFixture as F, makeApplication, makeBatch, setUpBatchFixture } from '../support/batches'
import { people } from '../support/clients'
import { readXlsx, sheetValues } from '../support/xlsx'
import { createHandler, rosterFileName } from '../../supabase/functions/application-export/handler.ts'

type Person = keyof typeof people

let be: TestBackend
let locked: string
let open: string
let other: string

const HEADER = ['序号', '姓名', '身份证号', '联系电话', '企业名称', '统一社会信用代码', '补贴项目', '申请金额', '核定金额', '经办人']

async function download(person: Person | null, query: string, method = 'GET') {
  const token = person ? await be.signToken({ sub: people[person] }) : null
  const res = await fetch(`${be.url}/functions/v1/application-export${query}`, {
    method,
    headers: { apikey: be.anonKey, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  })
  const bytes = Buffer.from(await res.arrayBuffer())
  const type = res.headers.get('content-type') ?? ''
  return { status: res.status, headers: res.headers, bytes, json: (type.includes('json') ? JSON.parse(bytes.toString('utf8')) : null) as { error: { code: string; message: string; retryable: boolean } } | null }
}

beforeAll(async () => {
  be = await startTestBackend()
  await setUpBatchFixture(be.db)
  locked = await makeBatch(be.db, { month: '2026-11-01', status: 'locked' })
  open = await makeBatch(be.db, { month: '2026-12-01' })
  other = await makeBatch(be.db, { street: F.SY, month: '2026-11-01', status: 'locked' })
  await makeApplication(be.db, { batch: locked, realName: '张三德', residentId: '11010519491231002X', amount: 10000, decidedOffsetSeconds: 1 })
  await makeApplication(be.db, { batch: locked, realName: '王五', residentId: '110105194912310021', creditCode: '00000000000000000X', amount: 2500.5, reviewer: people.butler2, decidedOffsetSeconds: 2 })
})
afterAll(async () => {
  await be?.close()
})

describe('the roster', () => {
  it('is an .xlsx attachment named after the street and month, with sheet 申报名册, the ten columns and one row per application', async () => {
    const res = await download('butler1', `?batch=${locked}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const name = `${F.SX}2026年11月集中申报名册.xlsx`
    expect(rosterFileName(F.SX, '2026-11-01')).toBe(name)
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="roster-2026-11.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
    expect(res.headers.get('access-control-expose-headers')).toBe('Content-Disposition')

    const wb = readXlsx(res.bytes)
    expect(wb.sheetNames).toEqual(['申报名册'])
    const values = sheetValues(wb)
    expect(values[0]).toEqual(HEADER)
    expect(values.slice(1)).toEqual([
      [1, '张三德', '11010519491231002X', '13800138000', expect.stringMatching(/^青岛测试家政服务有限公司\d+$/), '91350100M000100Y43', F.programmeName, 10000, 10000, '李管家'],
      [2, '王五', '110105194912310021', '13800138000', expect.stringMatching(/^青岛测试家政服务有限公司\d+$/), '00000000000000000X', F.programmeName, 2500.5, 2500.5, '张管家'],
    ])
  })

  it('holds resident IDs, phone numbers and credit codes as text cells formatted as text, amounts as numbers with two decimals', async () => {
    const wb = readXlsx((await download('butler2', `?batch=${locked}`)).bytes)
    for (const row of wb.rows.slice(1)) {
      for (const col of ['C', 'D', 'F']) {
        const cell = row.find((c) => c.ref.startsWith(col))!
        expect(cell.kind).toBe('text')
        expect(wb.numFmtOfStyle[cell.style]).toBe(49) // "@"
      }
      for (const col of ['H', 'I']) {
        const cell = row.find((c) => c.ref.startsWith(col))!
        expect(cell.kind).toBe('number')
        expect(wb.numFmtOfStyle[cell.style]).toBe(2) // "0.00"
      }
    }
  })

  it('each download is recorded as an export by the caller', async () => {
    const before = await be.db.query(`select count(*)::int as n from public.batch_exports where batch_id = $1`, [locked])
    await download('admin', `?batch=${locked}`)
    const after = await be.db.query(`select actor_id, rows from public.batch_exports where batch_id = $1 order by id desc limit 1`, [locked])
    expect(after.rows[0]).toEqual({ actor_id: people.admin, rows: 2 })
    const n = await be.db.query(`select count(*)::int as n from public.batch_exports where batch_id = $1`, [locked])
    expect(n.rows[0].n).toBe(Number(before.rows[0].n) + 1)
  })

  it('an empty locked batch gives the header alone', async () => {
    const res = await download('butler2', `?batch=${other}`)
    expect(res.status).toBe(200)
    expect(sheetValues(readXlsx(res.bytes))).toEqual([HEADER])
  })
})

describe('who may export', () => {
  it('a worker is refused in Chinese', async () => {
    const res = await download('worker2', `?batch=${locked}`)
    expect(res.status).toBe(403)
    expect(res.json).toEqual({ error: { code: 'forbidden', message: '只有创业管家可以处理申报批次', retryable: false } })
  })

  it('another street\'s butler does not find the batch', async () => {
    const res = await download('butler1', `?batch=${other}`)
    expect(res.status).toBe(404)
    expect(res.json).toEqual({ error: { code: 'not_found', message: '找不到该申报批次', retryable: false } })
  })

  it('an open batch cannot be exported yet, and nothing is recorded', async () => {
    const res = await download('butler1', `?batch=${open}`)
    expect(res.status).toBe(409)
    expect(res.json!.error).toMatchObject({ code: 'conflict', message: '该批次尚未截止，截止后才能导出名册' })
    const n = await be.db.query(`select count(*)::int as n from public.batch_exports where batch_id = $1`, [open])
    expect(n.rows[0].n).toBe(0)
  })

  it('no token, or the anon key, is 401', async () => {
    expect((await download(null, `?batch=${locked}`)).status).toBe(401)
  })
})

describe('bad requests', () => {
  it('a missing or malformed batch id is 400 in Chinese', async () => {
    for (const q of ['', '?batch=', '?batch=not-a-uuid']) {
      const res = await download('butler1', q)
      expect(res.status).toBe(400)
      expect(res.json!.error.message).toBe('请指定要导出的批次')
    }
  })

  it('only GET is served (and the CORS preflight)', async () => {
    const res = await download('butler1', `?batch=${locked}`, 'POST')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, OPTIONS')
    const pre = await fetch(`${be.url}/functions/v1/application-export`, { method: 'OPTIONS' })
    expect(pre.status).toBe(204)
  })

  it('a database failure that is not the caller\'s is a 500 without details', async () => {
    const handler = createHandler({
      verifyCaller: async () => ({ sub: people.butler1 }),
      loadExport: async () => {
        throw new Error('connection refused')
      },
      writeWorkbook: async () => new Uint8Array(),
      log: () => undefined,
    })
    const res = await handler(new Request(`http://x/application-export?batch=${locked}`, { headers: { Authorization: 'Bearer t' } }))
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ error: { code: 'internal', message: '服务出错了，请稍后再试', retryable: true } })
  })
})
