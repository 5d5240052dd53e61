import { describe, expect, it } from 'vitest'
import {
  createSearchHistory,
  looksPersonal,
  parseHistory,
  SEARCH_HISTORY_KEY,
  SEARCH_HISTORY_LIMIT,
  withSearch,
  type HistoryStore,
} from '../../src/services/posts/search-history'

function memoryStore(): HistoryStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>()
  return { data, get: (k) => data.get(k) ?? '', set: (k, v) => void data.set(k, v), remove: (k) => void data.delete(k) }
}

describe('the last searches on the device', () => {
  it('puts the newest first and a repeated search moves to the front once', () => {
    let list: string[] = []
    for (const q of ['补贴', '担保', ' 补贴 ']) list = withSearch(list, q)
    expect(list).toEqual(['补贴', '担保'])
  })

  it(`keeps at most ${SEARCH_HISTORY_LIMIT}, dropping the oldest`, () => {
    let list: string[] = []
    for (let i = 0; i < 15; i++) list = withSearch(list, `培训${i}`)
    expect(list).toHaveLength(SEARCH_HISTORY_LIMIT)
    expect(list[0]).toBe('培训14')
    expect(list.at(-1)).toBe('培训5')
  })

  it('never remembers what may be a phone number, resident ID or card number', () => {
    for (const q of ['13800138000', '138 0013 8000', '37020219700101123X', '6222 0210 0111 2223']) {
      expect(looksPersonal(q)).toBe(true)
      expect(withSearch([], q)).toEqual([])
    }
    expect(looksPersonal('2026年补贴')).toBe(false)
  })

  it('remembers nothing empty or overlong', () => {
    expect(withSearch([], '   ')).toEqual([])
    expect(withSearch([], '长'.repeat(41))).toEqual([])
  })

  it('reads only clean strings from whatever storage held', () => {
    expect(parseHistory(undefined)).toEqual([])
    expect(parseHistory('补贴')).toEqual([])
    expect(parseHistory(['补贴', 3, null, '补贴', '13800138000', ' 担保 '])).toEqual(['补贴', '担保'])
  })

  it('stores the list under its key, removes one entry, and clearing removes the key', () => {
    const store = memoryStore()
    const history = createSearchHistory(store)
    history.add('补贴')
    history.add('担保')
    expect(store.data.get(SEARCH_HISTORY_KEY)).toEqual(['担保', '补贴'])
    expect(history.remove('担保')).toEqual(['补贴'])
    expect(history.list()).toEqual(['补贴'])
    expect(history.clear()).toEqual([])
    expect(store.data.has(SEARCH_HISTORY_KEY)).toBe(false)
  })

  it('keeps searching working when storage fails', () => {
    const broken: HistoryStore = {
      get: () => {
        throw new Error('storage unavailable')
      },
      set: () => {
        throw new Error('quota')
      },
      remove: () => undefined,
    }
    const history = createSearchHistory(broken)
    expect(history.list()).toEqual([])
    expect(history.add('补贴')).toEqual(['补贴'])
  })
})
