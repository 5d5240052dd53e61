/**
 * The last searches, remembered on the device only (Taro storage, never sent anywhere), most recent
 * first. What looks like personal data (a phone number, a resident ID, a bank card: long runs of digits)
 * is never remembered, so the list can be shown to whoever holds the phone next.
 *
 * The rules are pure functions over a list; the store is given (Taro storage in the app, a Map in
 * tests/unit/search-history.test.ts).
 */

export const SEARCH_HISTORY_KEY = 'cg.searchHistory'
/** How many searches are kept. */
export const SEARCH_HISTORY_LIMIT = 10
/** Longer queries are not remembered (nobody types a whole paragraph twice). */
export const SEARCH_QUERY_MAX = 40

/** Phone numbers, resident IDs, bank cards: 7 or more digits in a row (spaces and dashes allowed). */
const PERSONAL_PATTERN = /\d(?:[\s-]?\d){6,}|\d{17}[\dXx]/

/** Whether a query must not be remembered: it may be someone's phone, ID or account number. */
export function looksPersonal(query: string): boolean {
  return PERSONAL_PATTERN.test(query)
}

/** A query as it is searched and remembered: trimmed, inner runs of spaces made one. */
export function normalizeQuery(query: string): string {
  return query.replace(/[\s\u3000]+/g, ' ').trim()
}

/** The list after a search for `query`: it moves to the front, once; the oldest fall off past the limit. */
export function withSearch(history: readonly string[], query: string, limit = SEARCH_HISTORY_LIMIT): string[] {
  const q = normalizeQuery(query)
  if (q === '' || q.length > SEARCH_QUERY_MAX || looksPersonal(q)) return [...history]
  return [q, ...history.filter((item) => item !== q)].slice(0, limit)
}

/** The list without one entry (the × on a remembered search). */
export function withoutSearch(history: readonly string[], query: string): string[] {
  return history.filter((item) => item !== query)
}

/** Whatever storage held, as a clean list: only strings, no personal-looking ones, within the limit. */
export function parseHistory(stored: unknown): string[] {
  if (!Array.isArray(stored)) return []
  const out: string[] = []
  for (const item of stored) {
    if (typeof item !== 'string') continue
    const q = normalizeQuery(item)
    if (q === '' || q.length > SEARCH_QUERY_MAX || looksPersonal(q) || out.includes(q)) continue
    out.push(q)
    if (out.length === SEARCH_HISTORY_LIMIT) break
  }
  return out
}

/** Where the list lives: synchronous key-value storage (Taro.getStorageSync / setStorageSync). */
export interface HistoryStore {
  get(key: string): unknown
  set(key: string, value: unknown): void
  remove(key: string): void
}

export interface SearchHistory {
  list(): string[]
  /** Remembers a search; returns the new list. */
  add(query: string): string[]
  remove(query: string): string[]
  clear(): string[]
}

/** The history over a store. A store that fails (full, unavailable) never breaks searching. */
export function createSearchHistory(store: HistoryStore, key = SEARCH_HISTORY_KEY): SearchHistory {
  const read = (): string[] => {
    try {
      return parseHistory(store.get(key))
    } catch {
      return []
    }
  }
  const write = (list: string[]): string[] => {
    try {
      if (list.length === 0) store.remove(key)
      else store.set(key, list)
    } catch {
      // Not remembered this time; the search itself went on.
    }
    return list
  }
  return {
    list: read,
    add: (query) => write(withSearch(read(), query)),
    remove: (query) => write(withoutSearch(read(), query)),
    clear: () => write([]),
  }
}
