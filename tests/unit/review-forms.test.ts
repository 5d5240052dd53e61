import { describe, expect, it } from 'vitest'
import { fileNameOf } from '../../src/services/review/content-disposition'
import { checkProgrammeForm, checkVisit, emptyProgrammeForm, programmeFromForm, type ProgrammeForm } from '../../src/services/review/forms'
import {
  checkAmount,
  filterStatuses,
  formatMonth,
  formatYuan,
  programmeMaterials,
  suggestedAmount,
  supplementItemLabel,
  supplementItems,
} from '../../src/services/review/labels'

describe('the amount offered when approving', () => {
  it('is what was asked for, capped at the programme maximum', () => {
    expect(suggestedAmount('2000', '6000', '10000')).toBe('6000')
    expect(suggestedAmount('2000', '16000', '10000')).toBe('10000')
  })

  it('falls back to the programme default when nothing was asked, and is empty when neither is known', () => {
    expect(suggestedAmount('10000', null, '10000')).toBe('10000')
    expect(suggestedAmount(null, null, '30000')).toBe('')
  })

  it('is refused in Chinese when not a positive sum with at most two decimals or above the maximum', () => {
    expect(checkAmount('abc', '10000')).toBe('请填写核定金额（元，最多两位小数）')
    expect(checkAmount('10.123', '10000')).toBe('请填写核定金额（元，最多两位小数）')
    expect(checkAmount('0', '10000')).toBe('核定金额必须大于0')
    expect(checkAmount('10000.01', '10000')).toBe('核定金额不能超过本项目上限10,000元')
    expect(checkAmount(' 9999.5 ', '10000')).toBeNull()
  })
})

describe('words of the review pages', () => {
  it('待审核 shows submitted and under review, 全部 every status', () => {
    expect(filterStatuses('pending')).toEqual(['submitted', 'under_review'])
    expect(filterStatuses('needs_supplement')).toEqual(['needs_supplement'])
    expect(filterStatuses('all')).toBeNull()
  })

  it('money and months read as people write them', () => {
    expect(formatYuan(10000)).toBe('10,000元')
    expect(formatYuan('2500.50')).toBe('2,500.50元')
    expect(formatYuan(null)).toBe('—')
    expect(formatMonth('2026-12-01')).toBe('2026年12月')
  })

  it('a 补正 item is named by the database, else by the programme material or the field', () => {
    const materials = programmeMaterials([{ key: 'bank_card', name: '本人银行卡', kind: 'photo', required: true }, { nonsense: true }])
    expect(materials).toHaveLength(1)
    const items = supplementItems([{ kind: 'material', key: 'bank_card' }, { kind: 'field', key: 'bank_account' }, { kind: 'field', key: 'phone', name: '联系电话（手机）' }, 'x'])
    expect(items.map((item) => supplementItemLabel(item, materials))).toEqual(['本人银行卡', '银行账号', '联系电话（手机）'])
  })
})

describe('the programme editor', () => {
  function form(patch: Partial<ProgrammeForm> = {}): ProgrammeForm {
    return { ...emptyProgrammeForm('2026-12-01'), code: 'startup_once', name: '一次性创业补贴', default_amount: '10000', max_amount: '10000', ...patch }
  }

  it('accepts a complete programme and sends numbers, rules with their values and materials', () => {
    const good = form({
      eligibility: [
        { rule: 'displaced_worker', value: '' },
        { rule: 'registered_within_months', value: '24' },
      ],
      materials: [{ key: 'id_card', name: '身份证正反面', kind: 'photo', required: true, max_files: '2', example: '', hint: ' 拍清四角 ' }],
    })
    expect(checkProgrammeForm(good)).toBeNull()
    expect(programmeFromForm(good)).toMatchObject({
      code: 'startup_once',
      default_amount: 10000,
      max_amount: 10000,
      closes_on: null,
      eligibility: [{ rule: 'displaced_worker' }, { rule: 'registered_within_months', value: 24 }],
      materials: [{ key: 'id_card', name: '身份证正反面', kind: 'photo', required: true, max_files: 2, hint: '拍清四角' }],
    })
    expect(programmeFromForm(good)).not.toHaveProperty('id')
  })

  it('refuses, in Chinese, a bad code, a default above the maximum, a period out of order, a rule without its number and a repeated material', () => {
    expect(checkProgrammeForm(form({ code: 'Startup' }))).toMatch(/^项目代码/)
    expect(checkProgrammeForm(form({ default_amount: '20000' }))).toBe('标准金额不能高于最高金额')
    expect(checkProgrammeForm(form({ closes_on: '2026-11-30' }))).toBe('截止日期不能早于开始日期')
    expect(checkProgrammeForm(form({ eligibility: [{ rule: 'social_insurance_months', value: '' }] }))).toBe('请填写“已缴社保满M个月”中的数字')
    const twice = { key: 'id_card', name: '身份证', kind: 'photo' as const, required: true, max_files: '1', example: '', hint: '' }
    expect(checkProgrammeForm(form({ materials: [twice, twice] }))).toBe('材料代码“id_card”重复了')
  })
})

describe('a visit before saving', () => {
  const visit = { visited_on: '2026-12-01', base_name: '兴隆路创业孵化基地', people_met: '王经理', notes: '', photo_paths: [] }

  it('needs a date not after today and the base', () => {
    expect(checkVisit(visit, '2026-12-01')).toBeNull()
    expect(checkVisit({ ...visit, visited_on: '2026-12-02' }, '2026-12-01')).toBe('走访日期不能晚于今天')
    expect(checkVisit({ ...visit, base_name: '  ' }, '2026-12-01')).toBe('请填写孵化基地名称')
  })
})

describe('the roster file name', () => {
  it('comes from filename* (UTF-8), else the plain filename, else the fallback', () => {
    const name = '四方区兴隆路街道2026年12月集中申报名册.xlsx'
    expect(fileNameOf(`attachment; filename="roster-2026-12.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`, 'x.xlsx')).toBe(name)
    expect(fileNameOf('attachment; filename="roster-2026-12.xlsx"', 'x.xlsx')).toBe('roster-2026-12.xlsx')
    expect(fileNameOf(null, 'x.xlsx')).toBe('x.xlsx')
  })
})
