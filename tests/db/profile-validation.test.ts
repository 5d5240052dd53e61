/**
 * The profile form's rules in the database (complete_onboarding, migration 20261202260000): each field
 * that breaks them is refused with a Chinese sentence saying what is wrong (22023, status 400, hint =
 * the field), and nothing is written. The client checks the same rules first
 * (src/services/profile/validate-onboarding.ts, tests/unit/validate-onboarding.test.ts); these tests are
 * what a client that skips them meets.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  data = await snapshotData(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

interface Fields {
  display_name: string
  district: string
  former_employer?: string
  displaced_on?: string
  startup_intention?: string
}

const VALID: Fields = { display_name: '陈秀英', district: '四方区兴隆路街道' }

async function profileRow(): Promise<Record<string, unknown>> {
  const { rows } = await be.db.query(
    `select display_name, district, former_employer, displaced_on::text, startup_intention, updated_at from public.profiles where id = $1`,
    [p.ids.workerB],
  )
  return rows[0] as Record<string, unknown>
}

/** Saves as 陈秀英 (onboarded, consent given) and answers the refusal, checking that nothing changed. */
async function refusal(fields: Partial<Fields>) {
  const before = await profileRow()
  const res = await p.workerB.rpc('complete_onboarding', { ...VALID, ...fields })
  expect(await profileRow()).toEqual(before)
  return { status: res.status, code: res.error?.code, message: res.error?.message, hint: res.error?.hint }
}

const invalid = (message: string, hint: string) => ({ status: 400, code: '22023', message, hint })

function chars(n: number, char = '街'): string {
  return char.repeat(n)
}

/** Today in China, as YYYY-MM-DD, shifted by `days`. */
async function chinaDate(days: number): Promise<string> {
  const { rows } = await be.db.query(`select ((now() at time zone 'Asia/Shanghai')::date + $1::int)::text as d`, [days])
  return rows[0].d as string
}

describe('姓名', () => {
  it('an emoji-only name is refused, saying what a name may contain', async () => {
    expect(await refusal({ display_name: '😀😀' })).toEqual(invalid('姓名只能填写汉字或字母，少数民族姓名可用“·”隔开', 'display_name'))
  })

  it('digits, emoji beside characters, and a dot at the edge are refused too', async () => {
    for (const name of ['刘建国1', '刘建国😀', '·刘建国', '刘建国·', '<b>刘</b>', '刘\n建国']) {
      expect(await refusal({ display_name: name })).toEqual(invalid('姓名只能填写汉字或字母，少数民族姓名可用“·”隔开', 'display_name'))
    }
  })

  it('a name of one character or over twenty is refused with its length, never cut', async () => {
    expect(await refusal({ display_name: '刘' })).toEqual(invalid('姓名应为2到20个字，现在是1个字', 'display_name'))
    expect(await refusal({ display_name: chars(21, '刘') })).toEqual(invalid('姓名应为2到20个字，现在是21个字', 'display_name'))
    expect(await refusal({ display_name: chars(100_000, '刘') })).toEqual(invalid('姓名应为2到20个字，现在是100000个字', 'display_name'))
  })

  it('an empty or blank name asks for one', async () => {
    expect(await refusal({ display_name: ' \u3000 ' })).toEqual(invalid('请填写姓名', 'display_name'))
  })

  it('accepts Chinese names of any CJK block, minority names with a middle dot, and Latin names; trims the edges', async () => {
    for (const [given, saved] of [
      ['阿卜杜·热合曼', '阿卜杜·热合曼'],
      ['\u3000𠀾明 ', '𠀾明'],
      ['Zhang Wei', 'Zhang Wei'],
      ['刘〇', '刘〇'],
    ]) {
      const res = await p.workerB.rpc('complete_onboarding', { ...VALID, display_name: given })
      expect(res.error).toBeNull()
      expect(res.data?.display_name).toBe(saved)
    }
  })
})

describe('所属街道, 原单位 and 创业意向', () => {
  it('所属街道 is required, at most 40 characters, and says something', async () => {
    expect(await refusal({ district: '  ' })).toEqual(invalid('请填写所属街道', 'district'))
    expect(await refusal({ district: chars(41) })).toEqual(invalid('所属街道不能超过40个字，现在是41个字', 'district'))
    expect(await refusal({ district: '🏠🏠' })).toEqual(invalid('所属街道请填写街道名称，如“兴隆路街道”', 'district'))
    expect(await refusal({ district: '四方区\n兴隆路街道' })).toEqual(invalid('所属街道请填写街道名称，如“兴隆路街道”', 'district'))
  })

  it('原单位 is optional, at most 40 characters, and says something when given', async () => {
    expect(await refusal({ former_employer: chars(41, '钢') })).toEqual(invalid('原单位不能超过40个字，现在是41个字', 'former_employer'))
    expect(await refusal({ former_employer: '!!!' })).toEqual(invalid('原单位请填写单位名称，如“青岛钢铁”', 'former_employer'))
    const saved = await p.workerB.rpc('complete_onboarding', { ...VALID, former_employer: '   ' })
    expect(saved.error).toBeNull()
    expect(saved.data?.former_employer).toBeNull()
  })

  it('创业意向 is at most 200 characters, may span lines, and is not only symbols', async () => {
    expect(await refusal({ startup_intention: chars(201, '想') })).toEqual(invalid('创业意向不能超过200个字，现在是201个字', 'startup_intention'))
    expect(await refusal({ startup_intention: '🍜🍜🍜' })).toEqual(invalid('创业意向请用文字写一写想做什么', 'startup_intention'))
    const saved = await p.workerB.rpc('complete_onboarding', { ...VALID, startup_intention: '开一家早餐店\n卖包子和豆浆 🍜' })
    expect(saved.error).toBeNull()
    expect(saved.data?.startup_intention).toBe('开一家早餐店\n卖包子和豆浆 🍜')
    const exactly = await p.workerB.rpc('complete_onboarding', { ...VALID, startup_intention: chars(200, '想') })
    expect(exactly.error).toBeNull()
  })
})

describe('分流日期', () => {
  it('is not in the future (China time) and not before 1990', async () => {
    expect(await refusal({ displaced_on: await chinaDate(1) })).toEqual(invalid('分流日期不能晚于今天', 'displaced_on'))
    expect(await refusal({ displaced_on: '1989-12-31' })).toEqual(invalid('分流日期不能早于1990年', 'displaced_on'))
    const today = await p.workerB.rpc('complete_onboarding', { ...VALID, displaced_on: await chinaDate(0) })
    expect(today.error).toBeNull()
  })
})

describe('order of the checks', () => {
  it('someone without consent hears about consent first, whatever they sent', async () => {
    const res = await p.workerA.rpc('complete_onboarding', { display_name: '😀', district: '' })
    expect({ code: res.error?.code, hint: res.error?.hint }).toEqual({ code: 'P0001', hint: 'privacy_notice_required' })
  })
})
