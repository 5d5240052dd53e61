/**
 * Headers for the mini-program runtime. Names are case-insensitive and kept in lower case, as in the
 * Fetch standard; `append` joins repeated values with ", ". Enough for supabase-js, which builds request
 * headers with `new Headers(init)`, `has`, `get`, `set` and `forEach`.
 */

type HeadersLike = { forEach(callback: (value: string, name: string) => void): void }
export type HeadersInitLike = HeadersLike | Array<[string, string]> | Record<string, string | undefined>

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

function normalizeName(name: string): string {
  const text = String(name)
  if (!TOKEN.test(text)) throw new TypeError(`Invalid header name: "${text}"`)
  return text.toLowerCase()
}

function normalizeValue(value: string): string {
  return String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
}

export class HeadersPolyfill {
  private readonly map = new Map<string, string>()

  constructor(init?: HeadersInitLike | null) {
    if (init == null) return
    if (Array.isArray(init)) {
      for (const pair of init) {
        if (pair.length !== 2) throw new TypeError('Each header pair must have exactly two items')
        this.append(pair[0], pair[1])
      }
    } else if (typeof (init as HeadersLike).forEach === 'function') {
      ;(init as HeadersLike).forEach((value, name) => this.append(name, value))
    } else {
      const record = init as Record<string, string | undefined>
      for (const name of Object.keys(record)) {
        const value = record[name]
        if (value !== undefined) this.append(name, value)
      }
    }
  }

  append(name: string, value: string): void {
    const key = normalizeName(name)
    const existing = this.map.get(key)
    this.map.set(key, existing === undefined ? normalizeValue(value) : `${existing}, ${normalizeValue(value)}`)
  }

  delete(name: string): void {
    this.map.delete(normalizeName(name))
  }

  get(name: string): string | null {
    return this.map.get(normalizeName(name)) ?? null
  }

  has(name: string): boolean {
    return this.map.has(normalizeName(name))
  }

  set(name: string, value: string): void {
    this.map.set(normalizeName(name), normalizeValue(value))
  }

  /** Visits headers sorted by name, as browsers do. */
  forEach(callback: (value: string, name: string, parent: HeadersPolyfill) => void, thisArg?: unknown): void {
    for (const [name, value] of this.entries()) callback.call(thisArg, value, name, this)
  }

  entries(): IterableIterator<[string, string]> {
    return [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))[Symbol.iterator]()
  }

  keys(): IterableIterator<string> {
    return [...this.entries()].map(([name]) => name)[Symbol.iterator]()
  }

  values(): IterableIterator<string> {
    return [...this.entries()].map(([, value]) => value)[Symbol.iterator]()
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }
}
