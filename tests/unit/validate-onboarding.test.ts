/**
 * The profile form's checks (src/services/profile/validate-onboarding.ts): what the person reads under
 * each field before anything is sent. The database refuses the same inputs with the same sentences
 * (tests/db/profile-validation.test.ts).
 */
import { describe, expect, it } from 'vitest'
import type { OnboardingInput } from '../../src/services/profile/complete-onboarding'
import {
  ONBOARDING_MESSAGES as M,
  textLength,
  trimField,
  validateOnboarding,
  validateOnboardingField,
} from '../../src/services/profile/validate-onboarding'

const TODAY = '2026-12-01'
const VALID: OnboardingInput = {
  displayName: '陈秀英',
  district: '四方区兴隆路街道',
  formerEmployer: '青岛碱业',
  displacedOn: '2016-06-30',
  startupIntention: '开一家社区早餐店',
}

const nameError = (name: string) => validateOnboardingField('displayName', name, TODAY)

describe('姓名', () => {
  it('refuses an emoji-only name, saying what a name may contain', () => {
    expect(nameError('😀😀')).toBe('姓名只能填写汉字或字母，少数民族姓名可用“·”隔开')
    expect(nameError('👨‍👩‍👧')).toBe(M.nameCharacters)
  })

  it('refuses digits, symbols, emoji beside characters and separators at the edges', () => {
    for (const name of ['刘建国1', '刘建国😀', '·刘建国', '刘建国·', '刘 ', '<b>刘</b>', '刘\n建国']) {
      expect(nameError(name), name).toBe(name === '刘 ' ? M.nameLength(1) : M.nameCharacters)
    }
  })

  it('accepts names of every CJK block, minority names with a middle dot, and Latin names', () => {
    for (const name of ['陈秀英', '阿卜杜·热合曼', '𠀾明', 'Zhang Wei', '刘〇', '  陈秀英\u3000']) {
      expect(nameError(name), name).toBeUndefined()
    }
  })

  it('says how long a name is when it is too short or too long, and asks for a missing one', () => {
    expect(nameError('刘')).toBe('姓名应为2到20个字，现在是1个字')
    expect(nameError('刘'.repeat(21))).toBe('姓名应为2到20个字，现在是21个字')
    expect(nameError(' \u3000 ')).toBe('请填写姓名')
  })

  it('counts characters as people do: a character outside the BMP is one', () => {
    expect(textLength('𠀾明')).toBe(2)
    expect(textLength('\u3000陈秀英 \n')).toBe(3)
    expect(trimField('\u3000陈 秀英\t')).toBe('陈 秀英')
  })
})

describe('所属街道, 原单位, 分流日期, 创业意向', () => {
  it('所属街道: required, at most 40 characters, not only symbols', () => {
    expect(validateOnboardingField('district', '', TODAY)).toBe('请填写所属街道')
    expect(validateOnboardingField('district', '街'.repeat(41), TODAY)).toBe('所属街道不能超过40个字，现在是41个字')
    expect(validateOnboardingField('district', '街'.repeat(40), TODAY)).toBeUndefined()
    expect(validateOnboardingField('district', '🏠🏠', TODAY)).toBe('所属街道请填写街道名称，如“兴隆路街道”')
  })

  it('原单位: optional, at most 40 characters, not only symbols', () => {
    expect(validateOnboardingField('formerEmployer', '', TODAY)).toBeUndefined()
    expect(validateOnboardingField('formerEmployer', '钢'.repeat(45), TODAY)).toBe('原单位不能超过40个字，现在是45个字')
    expect(validateOnboardingField('formerEmployer', '!!!', TODAY)).toBe('原单位请填写单位名称，如“青岛钢铁”')
  })

  it('分流日期: optional, not after today and not before 1990', () => {
    expect(validateOnboardingField('displacedOn', '', TODAY)).toBeUndefined()
    expect(validateOnboardingField('displacedOn', '2026-12-02', TODAY)).toBe('分流日期不能晚于今天')
    expect(validateOnboardingField('displacedOn', '1989-12-31', TODAY)).toBe('分流日期不能早于1990年')
    expect(validateOnboardingField('displacedOn', TODAY, TODAY)).toBeUndefined()
  })

  it('创业意向: at most 200 characters, lines and emoji among words allowed, not emoji alone', () => {
    expect(validateOnboardingField('startupIntention', '想'.repeat(201), TODAY)).toBe('创业意向不能超过200个字，现在是201个字')
    expect(validateOnboardingField('startupIntention', '想'.repeat(200), TODAY)).toBeUndefined()
    expect(validateOnboardingField('startupIntention', '开早餐店\n卖包子 🍜', TODAY)).toBeUndefined()
    expect(validateOnboardingField('startupIntention', '🍜🍜🍜', TODAY)).toBe('创业意向请用文字写一写想做什么')
  })
})

describe('the whole form', () => {
  it('has no errors when every field is right', () => {
    expect(validateOnboarding(VALID, TODAY)).toEqual({})
  })

  it('names every wrong field at once', () => {
    expect(validateOnboarding({ ...VALID, displayName: '😀😀', district: '街'.repeat(50), startupIntention: '想'.repeat(300) }, TODAY)).toEqual({
      displayName: M.nameCharacters,
      district: '所属街道不能超过40个字，现在是50个字',
      startupIntention: '创业意向不能超过200个字，现在是300个字',
    })
  })
})
