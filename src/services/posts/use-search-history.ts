import { useCallback, useState } from 'react'
import Taro from '@tarojs/taro'
import { createSearchHistory, type HistoryStore } from './search-history'

/** Taro's synchronous storage: wx storage on the mini-program, localStorage on H5. */
const taroStore: HistoryStore = {
  get: (key) => Taro.getStorageSync(key),
  set: (key, value) => Taro.setStorageSync(key, value),
  remove: (key) => Taro.removeStorageSync(key),
}

const history = createSearchHistory(taroStore)

/** The remembered searches for the search page, with add, remove and clear. */
export function useSearchHistory() {
  const [list, setList] = useState<string[]>(() => history.list())
  const add = useCallback((query: string) => setList(history.add(query)), [])
  const remove = useCallback((query: string) => setList(history.remove(query)), [])
  const clear = useCallback(() => setList(history.clear()), [])
  return { list, add, remove, clear }
}
