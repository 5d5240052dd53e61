/**
 * The push dispatcher's pure rules, imported straight from the function's Deno-free modules: the
 * WECHAT_TEMPLATES configuration, WeChat's value rules per data-key kind (cut or refused), and what
 * becomes of a push after each kind of WeChat answer (outcome and backoff).
 */
import { describe, expect, it } from 'vitest'
import { WechatApiError, WechatUnavailableError } from '../../supabase/functions/_shared/wechat.ts'
import {
  FieldError,
  TemplateConfigError,
  buildMessageData,
  fieldKind,
  formatField,
  pageFor,
  parseTemplates,
  type PushRow,
} from '../../supabase/functions/notify-dispatch/message.ts'
import { RETRY_CAP_MS, backoffMs, outcomeOfError } from '../../supabase/functions/notify-dispatch/outcome.ts'
import { LOCAL_WECHAT_TEMPLATES } from '../../supabase/local/wechat/templates'

const row: PushRow = {
  id: 7,
  kind: 'role_changed',
  title: '您的角色已变更为创业管家',
  body: '管理员已将您的角色由职工调整为创业管家。',
  link: '/pages/me/index',
  payload: { old_role: 'worker', new_role: 'butler', batch: { no: 'B-2026-11' }, amount: 3000 },
  created_at: '2026-11-21T07:01:30.123456+00:00',
}

function refusal(field: string, value: unknown): string {
  try {
    formatField(field, value)
  } catch (e) {
    expect(e).toBeInstanceOf(FieldError)
    return (e as FieldError).message
  }
  throw new Error(`${field} = ${JSON.stringify(value)} was accepted`)
}

function configError(json: string | undefined): string {
  try {
    parseTemplates(json)
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateConfigError)
    return (e as Error).message
  }
  throw new Error('accepted')
}

describe('WECHAT_TEMPLATES', () => {
  it('reads the local default configuration', () => {
    expect(parseTemplates(JSON.stringify(LOCAL_WECHAT_TEMPLATES))).toEqual({
      account_change: {
        id: 'local-account-change-template',
        fields: { thing1: 'title', time2: 'created_at', thing3: { from: 'body', default: '详情请在小程序“我的”中查看' } },
      },
      question_answered: {
        id: 'local-question-answered-template',
        fields: { thing1: 'title', thing2: { from: 'body', default: '请在小程序中查看解答' }, time3: 'created_at' },
      },
      post_followed: { id: 'local-post-followed-template', fields: { thing1: 'title', thing2: 'body', time3: 'created_at' } },
      project_lead: { id: 'local-project-lead-template', fields: { thing1: 'title', thing2: 'body', time3: 'created_at' } },
      application_status: {
        id: 'local-application-status-template',
        fields: { thing1: 'title', thing2: { from: 'body', default: '请在小程序中查看申报进度' }, time3: 'created_at' },
      },
    })
  })

  it('accepts payload paths, fixed texts, lookups and a page', () => {
    const t = parseTemplates(
      JSON.stringify({
        batch_result: {
          id: 'AbC-123_x',
          page: 'pages/apply/index?tab=1',
          fields: { character_string1: 'payload.batch.no', phrase2: { value: '已通过' }, phrase3: { from: 'payload.new_role', map: { butler: '创业管家' } } },
        },
      }),
    )
    expect(t.batch_result.page).toBe('pages/apply/index?tab=1')
    expect(Object.keys(t.batch_result.fields)).toEqual(['character_string1', 'phrase2', 'phrase3'])
  })

  it('is required', () => {
    expect(configError(undefined)).toBe('WECHAT_TEMPLATES is not set')
    expect(configError('  ')).toBe('WECHAT_TEMPLATES is not set')
  })

  it('must be a JSON object', () => {
    expect(configError('{nope')).toBe('WECHAT_TEMPLATES is not JSON')
    expect(configError('[]')).toMatch(/must be an object/)
  })

  it('names the template whose id is missing', () => {
    expect(configError('{"account_change":{"fields":{"thing1":"title"}}}')).toBe('WECHAT_TEMPLATES.account_change.id must be the template id WeChat gave')
  })

  it('names a data key WeChat does not know', () => {
    expect(configError('{"account_change":{"id":"x","fields":{"colour1":"title"}}}')).toMatch(/^WECHAT_TEMPLATES\.account_change\.fields\.colour1: not a data key WeChat knows/)
  })

  it('names a source that is not a column, a payload path, a text or a lookup', () => {
    expect(configError('{"account_change":{"id":"x","fields":{"thing1":"recipient_id"}}}')).toMatch(/^WECHAT_TEMPLATES\.account_change\.fields\.thing1: one of /)
    expect(configError('{"account_change":{"id":"x","fields":{"thing1":{"value":1}}}}')).toMatch(/fields\.thing1: one of /)
  })

  it('refuses a template without fields and a page that is not a page path', () => {
    expect(configError('{"account_change":{"id":"x","fields":{}}}')).toMatch(/fields must map/)
    expect(configError('{"account_change":{"id":"x","page":"https://evil.example","fields":{"thing1":"title"}}}')).toMatch(/page must be a page path/)
  })
})

describe('data keys', () => {
  it('name their kind before the number', () => {
    expect(['thing1', 'time2', 'character_string12', 'short_thing3', 'phone_number4', 'car_number5', 'amount6'].map(fieldKind)).toEqual([
      'thing',
      'time',
      'character_string',
      'short_thing',
      'phone_number',
      'car_number',
      'amount',
    ])
    expect(['thing', 'colour1', 'Thing1', '1thing'].map(fieldKind)).toEqual([null, null, null, null])
  })
})

describe("WeChat's value rules", () => {
  describe('thing: up to 20 characters, longer text is cut', () => {
    it('keeps 20 characters as they are', () => {
      expect(formatField('thing1', '一二三四五六七八九十一二三四五六七八九十')).toBe('一二三四五六七八九十一二三四五六七八九十')
    })
    it('cuts 21 characters to 19 and an ellipsis', () => {
      const v = formatField('thing1', '一二三四五六七八九十一二三四五六七八九十多')
      expect(v).toBe('一二三四五六七八九十一二三四五六七八九…')
      expect([...v]).toHaveLength(20)
    })
    it('counts a character outside the BMP as one', () => {
      expect([...formatField('thing1', '🎉'.repeat(25))]).toHaveLength(20)
    })
    it('makes line breaks and runs of spaces one space and trims', () => {
      expect(formatField('thing1', '  第一行\n\n第二行\t结束 ')).toBe('第一行 第二行 结束')
    })
    it('refuses an empty value and a missing one', () => {
      expect(refusal('thing1', '  \n ')).toBe('thing1: is empty')
      expect(refusal('thing1', undefined)).toBe('thing1: has no value')
      expect(refusal('thing1', { a: 1 })).toBe('thing1: is not text')
    })
    it('writes a number as text', () => {
      expect(formatField('thing2', 42)).toBe('42')
    })
  })

  it('short_thing: up to 5 characters, cut to 4 and an ellipsis', () => {
    expect(formatField('short_thing1', '审核中')).toBe('审核中')
    expect(formatField('short_thing1', '正在审核材料')).toBe('正在审核…')
  })

  describe('name: 10 Chinese characters, or 20 letters and symbols', () => {
    it('cuts a Chinese name to 10', () => {
      expect(formatField('name1', '一二三四五六七八九十十一')).toBe('一二三四五六七八九十')
    })
    it('cuts a name of letters to 20', () => {
      expect(formatField('name1', 'Alexander Hamilton Junior')).toBe('Alexander Hamilton J')
    })
    it('counts a mixed name as Chinese', () => {
      expect(formatField('name1', 'Tom汤姆Jerry杰瑞Spike')).toBe('Tom汤姆Jerry')
    })
  })

  describe('phrase: up to 5 Chinese characters and nothing else', () => {
    it('accepts a status of up to 5 Chinese characters', () => {
      expect(formatField('phrase3', '审核通过')).toBe('审核通过')
    })
    it('refuses 6 rather than cut a status word', () => {
      expect(refusal('phrase3', '审核未能通过')).toBe('phrase3: "审核未能通过" is not 1 to 5 Chinese characters')
    })
    it('refuses letters, digits and punctuation', () => {
      refusal('phrase3', 'OK')
      refusal('phrase3', '第1名')
      refusal('phrase3', '通过！')
    })
  })

  describe('character_string: up to 32 digits, letters and symbols', () => {
    it('accepts 32', () => {
      expect(formatField('character_string1', 'A'.repeat(32))).toBe('A'.repeat(32))
    })
    it('refuses 33 rather than cut a code', () => {
      expect(refusal('character_string1', 'A'.repeat(33))).toMatch(/is longer than 32$/)
    })
    it('refuses Chinese and spaces', () => {
      expect(refusal('character_string1', '批次B-1')).toMatch(/characters other than digits, letters and symbols$/)
      refusal('character_string1', 'B 1')
    })
  })

  describe('number: up to 32 digits, a decimal point allowed', () => {
    it('accepts digits, decimals and numbers', () => {
      expect(formatField('number1', '123.45')).toBe('123.45')
      expect(formatField('number1', 42)).toBe('42')
    })
    it('refuses signs, exponents, separators and 33 digits', () => {
      refusal('number1', '-1')
      refusal('number1', 1e21)
      refusal('number1', '1,000')
      expect(refusal('number1', '1'.repeat(33))).toMatch(/longer than 32$/)
    })
  })

  it('letter: up to 32 letters; symbol: up to 5 symbols', () => {
    expect(formatField('letter1', 'ABC')).toBe('ABC')
    refusal('letter1', 'AB1')
    expect(formatField('symbol1', '★★')).toBe('★★')
    refusal('symbol1', '★★★★★★')
    refusal('symbol1', 'A')
  })

  describe('amount: a currency sign and up to 10 digits', () => {
    it('writes a number as yuan with two decimals', () => {
      expect(formatField('amount2', 3000)).toBe('¥3000.00')
      expect(formatField('amount2', 12.5)).toBe('¥12.50')
    })
    it('accepts ¥100, 100元 and ¥99.5', () => {
      expect(['¥100', '100元', '¥99.5'].map((v) => formatField('amount2', v))).toEqual(['¥100', '100元', '¥99.5'])
    })
    it('refuses separators, negative amounts and more than 10 digits', () => {
      refusal('amount2', '¥12,000')
      refusal('amount2', -5)
      expect(refusal('amount2', 123456789.12)).toMatch(/more than 10 digits$/)
    })
  })

  describe('time: 24-hour time, with the date, in China time', () => {
    it('writes a timestamp as 2026年11月21日 15:01 in China time', () => {
      expect(formatField('time2', '2026-11-21T07:01:30.123456+00:00')).toBe('2026年11月21日 15:01')
    })
    it('moves to the next day past midnight in China', () => {
      expect(formatField('time2', '2026-11-21T16:30:00Z')).toBe('2026年11月22日 00:30')
    })
    it('reads a timestamp without a zone as China time', () => {
      expect(formatField('time2', '2026-11-21 09:05')).toBe('2026年11月21日 09:05')
    })
    it('keeps 15:01 and 2019年10月1日 15:01 as they are', () => {
      expect(formatField('time2', '15:01')).toBe('15:01')
      expect(formatField('time2', '2019年10月1日 15:01')).toBe('2019年10月1日 15:01')
    })
    it('writes a range with ~', () => {
      expect(formatField('time2', '2026-11-21T01:00:00Z ~ 2026-11-21T02:30:00Z')).toBe('2026年11月21日 09:00~2026年11月21日 10:30')
    })
    it('refuses a date without a time, an impossible time and words', () => {
      refusal('time2', '2026-11-21')
      refusal('time2', '25:00')
      expect(refusal('time2', '明天上午')).toBe('time2: "明天上午" is not a time (15:01 or 2019年10月1日 15:01)')
    })
  })

  describe('date: a date, optionally with the time', () => {
    it('writes 2026-11-21 as 2026年11月21日', () => {
      expect(formatField('date4', '2026-11-21')).toBe('2026年11月21日')
    })
    it('writes a timestamp with its China time', () => {
      expect(formatField('date4', '2026-11-21T07:01:00Z')).toBe('2026年11月21日 15:01')
    })
    it('keeps 2019年10月1日 and refuses 13 months', () => {
      expect(formatField('date4', '2019年10月1日')).toBe('2019年10月1日')
      refusal('date4', '2026-13-01')
    })
  })

  it('phone_number: up to 17 digits and symbols', () => {
    expect(formatField('phone_number1', '+86-0766-66888866')).toBe('+86-0766-66888866')
    refusal('phone_number1', '+86-0766-668888660')
    refusal('phone_number1', '1380013800O')
  })

  it('car_number: up to 8, Chinese only first and last', () => {
    expect(formatField('car_number1', '粤A8Z888挂')).toBe('粤A8Z888挂')
    refusal('car_number1', '粤A8Z8888挂')
    refusal('car_number1', '粤A8中888')
  })

  it('enum: passed on for WeChat to check', () => {
    expect(formatField('enum1', '1')).toBe('1')
  })
})

describe('a message from a row', () => {
  const template = parseTemplates(
    JSON.stringify({
      tmpl: {
        id: 'x',
        fields: {
          thing1: 'title',
          time2: 'created_at',
          character_string3: 'payload.batch.no',
          phrase4: { from: 'payload.new_role', map: { butler: '管家', worker: '职工' } },
          amount5: 'payload.amount',
          thing6: { value: '请在“我的”中查看' },
        },
      },
    }),
  ).tmpl

  it('takes columns, payload paths, lookups and fixed texts', () => {
    expect(buildMessageData(template, row)).toEqual({
      thing1: { value: '您的角色已变更为创业管家' },
      time2: { value: '2026年11月21日 15:01' },
      character_string3: { value: 'B-2026-11' },
      phrase4: { value: '管家' },
      amount5: { value: '¥3000.00' },
      thing6: { value: '请在“我的”中查看' },
    })
  })

  it('fits a question_answered push (a long title and answer) to the local template', () => {
    const local = parseTemplates(JSON.stringify(LOCAL_WECHAT_TEMPLATES)).question_answered
    const answered: PushRow = {
      ...row,
      kind: 'question_answered',
      title: '您的提问有了解答：一次性创业补贴需要准备哪些材料？',
      body: '需要身份证、营业执照、经营场所证明和本人银行账户信息；正常经营满6个月后提交。',
      payload: { question_id: 'q' },
    }
    const data = buildMessageData(local, answered)
    expect(Object.keys(data)).toEqual(['thing1', 'thing2', 'time3'])
    expect([...data.thing1.value].length).toBeLessThanOrEqual(20)
    expect([...data.thing2.value].length).toBeLessThanOrEqual(20)
    expect(data.thing1.value.startsWith('您的提问有了解答')).toBe(true)
    expect(data.time3).toEqual({ value: '2026年11月21日 15:01' })
  })

  it('refuses a row whose payload lacks a value, naming the key', () => {
    expect(() => buildMessageData(template, { ...row, payload: {} })).toThrow(new FieldError('character_string3', 'has no value'))
  })

  it('uses the default when the source is empty or missing', () => {
    const t = parseTemplates('{"tmpl":{"id":"x","fields":{"thing1":{"from":"body","default":"详见消息中心"},"phrase2":{"from":"payload.x","map":{"a":"甲"},"default":"其他"}}}}').tmpl
    expect(buildMessageData(t, { ...row, body: '', payload: { x: 'zzz' } })).toEqual({ thing1: { value: '详见消息中心' }, phrase2: { value: '其他' } })
    expect(buildMessageData(t, { ...row, body: '正文', payload: { x: 'a' } })).toEqual({ thing1: { value: '正文' }, phrase2: { value: '甲' } })
  })

  it('refuses a source object with neither map nor default, or with unknown keys', () => {
    expect(configError('{"tmpl":{"id":"x","fields":{"thing1":{"from":"body"}}}}')).toMatch(/fields\.thing1: one of /)
    expect(configError('{"tmpl":{"id":"x","fields":{"thing1":{"from":"body","default":"x","extra":1}}}}')).toMatch(/fields\.thing1: one of /)
  })

  it('refuses a lookup without an entry for the value', () => {
    expect(() => buildMessageData(template, { ...row, payload: { ...row.payload, new_role: 'admin' } })).toThrow(new FieldError('phrase4', 'has no value'))
  })

  it("opens the template's page, else the notification's link, without the leading slash", () => {
    expect(pageFor({ id: 'x', fields: {}, page: 'pages/apply/index' }, row)).toBe('pages/apply/index')
    expect(pageFor({ id: 'x', fields: {} }, row)).toBe('pages/me/index')
    expect(pageFor({ id: 'x', fields: {} }, { ...row, link: null })).toBeUndefined()
  })
})

describe('outcomes', () => {
  const now = 1_800_000_000_000
  const half = () => 0.5
  const api = (code: number, msg = 'msg') => new WechatApiError('subscribeMessage.send', code, msg)

  it('43101 (refused, no subscription left) is skipped', () => {
    expect(outcomeOfError(api(43101, 'user refuse to accept the msg'), 1, 8, now, half)).toEqual({
      status: 'skipped',
      error: 'refused: 43101 user refuse to accept the msg',
    })
  })

  it.each([47003, 40037, 41030, 40003])('%i is failed with the reason, never retried', (code) => {
    expect(outcomeOfError(api(code, 'argument invalid!'), 1, 8, now, half)).toEqual({ status: 'failed', error: `wechat ${code} argument invalid!` })
  })

  it.each([45009, 45011, -1, 40001, 48001])('%i is retried after the backoff', (code) => {
    const o = outcomeOfError(api(code), 1, 8, now, half)
    expect(o).toMatchObject({ status: 'pending', retryAt: now + 30_000 })
  })

  it('a timeout, a network failure, HTTP 5xx or an answer that is not JSON is retried', () => {
    expect(outcomeOfError(new WechatUnavailableError('subscribeMessage.send', 'HTTP 502'), 2, 8, now, half)).toEqual({
      status: 'pending',
      error: 'unavailable: subscribeMessage.send: HTTP 502',
      retryAt: now + 60_000,
    })
  })

  it('a temporary failure on the last attempt is failed', () => {
    expect(outcomeOfError(api(-1, 'system error'), 8, 8, now, half)).toEqual({ status: 'failed', error: 'gave up after 8 attempts: wechat -1 system error' })
  })

  it('the delay doubles from 30 s and stops growing at 30 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 30].map((a) => backoffMs(a, half))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, RETRY_CAP_MS, RETRY_CAP_MS, RETRY_CAP_MS,
    ])
  })

  it('the delay is spread by up to 20 % either way', () => {
    expect(backoffMs(1, () => 0)).toBe(24_000)
    expect(backoffMs(1, () => 0.999999)).toBe(36_000)
  })
})
