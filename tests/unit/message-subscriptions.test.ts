/**
 * 开启消息提醒: the subscribe flow (services/notifications/subscribe.ts) with fake WeChat and backend
 * calls, and the parsing of TARO_APP_SUBSCRIBE_TEMPLATES.
 */
import { describe, expect, it } from 'vitest'
import { subscribeToMessages, type SubscribeDeps, type SubscribeResult } from '../../src/services/notifications/subscribe'
import { parseSubscribeTemplates, type SubscribeTemplate } from '../../src/services/notifications/subscribe-templates'

const TEMPLATES: SubscribeTemplate[] = [
  { key: 'account_change', id: 'tmplAccount-1' },
  { key: 'application_status', id: 'tmplApplication_2' },
  { key: 'question_answered', id: 'tmplQuestion3' },
]

function fakes(answer: SubscribeResult | Error, overrides: Partial<SubscribeDeps> = {}) {
  const asked: string[][] = []
  const recorded: string[][] = []
  const deps: SubscribeDeps = {
    platform: 'weapp',
    templates: TEMPLATES,
    requestSubscribeMessage: (tmplIds) => {
      asked.push(tmplIds)
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer)
    },
    recordSubscriptions: (keys) => {
      recorded.push(keys)
      return Promise.resolve()
    },
    ...overrides,
  }
  return { deps, asked, recorded }
}

describe('subscribe flow', () => {
  it('asks WeChat for every configured template id and records only the keys accepted', async () => {
    const { deps, asked, recorded } = fakes({
      errMsg: 'requestSubscribeMessage:ok',
      'tmplAccount-1': 'accept',
      tmplApplication_2: 'reject',
      tmplQuestion3: 'accept',
    })
    const outcome = await subscribeToMessages(deps)
    expect(asked).toEqual([['tmplAccount-1', 'tmplApplication_2', 'tmplQuestion3']])
    expect(recorded).toEqual([['account_change', 'question_answered']])
    expect(outcome).toEqual({ kind: 'done', accepted: ['account_change', 'question_answered'], rejected: ['application_status'] })
  })

  it('records nothing when every template is rejected, banned or filtered', async () => {
    const { deps, recorded } = fakes({ 'tmplAccount-1': 'reject', tmplApplication_2: 'ban', tmplQuestion3: 'filter' })
    const outcome = await subscribeToMessages(deps)
    expect(recorded).toEqual([])
    expect(outcome).toEqual({ kind: 'done', accepted: [], rejected: ['account_change', 'application_status', 'question_answered'] })
  })

  it('on H5 does nothing at all', async () => {
    const { deps, asked, recorded } = fakes({ 'tmplAccount-1': 'accept' }, { platform: 'h5' })
    await expect(subscribeToMessages(deps)).resolves.toEqual({ kind: 'unsupported' })
    expect(asked).toEqual([])
    expect(recorded).toEqual([])
  })

  it('without configured templates asks WeChat nothing', async () => {
    const { deps, asked, recorded } = fakes({}, { templates: [] })
    await expect(subscribeToMessages(deps)).resolves.toEqual({ kind: 'not-configured' })
    expect(asked).toEqual([])
    expect(recorded).toEqual([])
  })

  it('asks for at most three templates, as WeChat allows', async () => {
    const { deps, asked } = fakes({}, { templates: [...TEMPLATES, { key: 'extra_one', id: 'tmplExtra4' }] })
    await subscribeToMessages(deps)
    expect(asked[0]).toHaveLength(3)
  })

  it('lets a failing WeChat call reach the caller and records nothing', async () => {
    const { deps, recorded } = fakes(new Error('requestSubscribeMessage:fail can only be invoked by user TAP gesture'))
    await expect(subscribeToMessages(deps)).rejects.toThrow(/TAP gesture/)
    expect(recorded).toEqual([])
  })
})

describe('TARO_APP_SUBSCRIBE_TEMPLATES parsing', () => {
  it('reads a JSON object of key → template id in order', () => {
    expect(parseSubscribeTemplates('{"account_change":"tmplAccount-1","application_status":" tmplApplication_2 "}')).toEqual([
      { key: 'account_change', id: 'tmplAccount-1' },
      { key: 'application_status', id: 'tmplApplication_2' },
    ])
  })

  it.each([undefined, null, '', '   ', '{}', 'not json', '[]', '["tmpl"]', 'null', '42', '"account_change"'])('gives no templates for %j', (raw) => {
    expect(parseSubscribeTemplates(raw)).toEqual([])
  })

  it('leaves out bad keys, non-string or malformed ids, and repeated ids', () => {
    const raw = JSON.stringify({
      account_change: 'tmplAccount-1',
      'Bad-Key': 'tmplOther',
      x: 'tmplTooShortKey',
      numeric_id: 12345,
      empty_id: '',
      spaced_id: 'has space',
      repeated: 'tmplAccount-1',
      nested: { id: 'tmpl' },
    })
    expect(parseSubscribeTemplates(raw)).toEqual([{ key: 'account_change', id: 'tmplAccount-1' }])
  })
})
