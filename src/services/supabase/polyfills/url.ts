/**
 * URL and URLSearchParams for the mini-program runtime, which has neither. Only what supabase-js uses:
 * absolute http(s)/ws(s) URLs, resolution of a relative path against a base, the component getters and
 * setters, and a live `searchParams` (setting a parameter changes `href`). No IDNA, no username or
 * password, no blob: or file: URLs: those throw a TypeError as an invalid URL would.
 */

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' }

// scheme://host[:port][path][?query][#fragment]
const ABSOLUTE_URL = /^([a-zA-Z][a-zA-Z\d+\-.]*:)\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/
const HOST_AND_PORT = /^(\[[^\]]*\]|[^:@]*)(?::(\d*))?$/

/** application/x-www-form-urlencoded: everything but ALPHA DIGIT * - . _ is escaped, space as "+". */
function encodeFormComponent(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

function decodeFormComponent(value: string): string {
  const spaced = value.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(spaced)
  } catch {
    return spaced
  }
}

function parseQuery(query: string): Array<[string, string]> {
  const text = query.startsWith('?') ? query.slice(1) : query
  const pairs: Array<[string, string]> = []
  for (const part of text.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const name = eq === -1 ? part : part.slice(0, eq)
    const value = eq === -1 ? '' : part.slice(eq + 1)
    pairs.push([decodeFormComponent(name), decodeFormComponent(value)])
  }
  return pairs
}

type SearchParamsInit =
  | string
  | Array<[string, string]>
  | Record<string, string>
  | { forEach(cb: (value: string, key: string) => void): void }

export class URLSearchParamsPolyfill {
  private list: Array<[string, string]> = []
  /** Set by the URL that owns these parameters, so a change is written back to its query. */
  private onChange: (() => void) | null = null

  constructor(init?: SearchParamsInit | null) {
    if (init == null) return
    if (typeof init === 'string') {
      this.list = parseQuery(init)
    } else if (Array.isArray(init)) {
      for (const pair of init) {
        if (pair.length !== 2) throw new TypeError('Each URLSearchParams pair must have exactly two items')
        this.list.push([String(pair[0]), String(pair[1])])
      }
    } else if (typeof (init as { forEach?: unknown }).forEach === 'function') {
      ;(init as { forEach(cb: (value: string, key: string) => void): void }).forEach((value, key) =>
        this.list.push([String(key), String(value)]),
      )
    } else {
      for (const key of Object.keys(init)) this.list.push([key, String((init as Record<string, string>)[key])])
    }
  }

  /** @internal Used by URLPolyfill. */
  static bind(params: URLSearchParamsPolyfill, query: string, onChange: () => void): void {
    params.list = parseQuery(query)
    params.onChange = onChange
  }

  get size(): number {
    return this.list.length
  }

  append(name: string, value: string): void {
    this.list.push([String(name), String(value)])
    this.changed()
  }

  delete(name: string): void {
    this.list = this.list.filter(([key]) => key !== name)
    this.changed()
  }

  get(name: string): string | null {
    const found = this.list.find(([key]) => key === name)
    return found ? found[1] : null
  }

  getAll(name: string): string[] {
    return this.list.filter(([key]) => key === name).map(([, value]) => value)
  }

  has(name: string): boolean {
    return this.list.some(([key]) => key === name)
  }

  /** Replaces the first parameter of that name and removes the others, keeping its position. */
  set(name: string, value: string): void {
    const index = this.list.findIndex(([key]) => key === name)
    if (index === -1) {
      this.list.push([String(name), String(value)])
    } else {
      this.list[index] = [String(name), String(value)]
      this.list = this.list.filter(([key], i) => key !== name || i === index)
    }
    this.changed()
  }

  sort(): void {
    this.list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    this.changed()
  }

  forEach(callback: (value: string, key: string, parent: URLSearchParamsPolyfill) => void, thisArg?: unknown): void {
    for (const [key, value] of this.list.slice()) callback.call(thisArg, value, key, this)
  }

  keys(): IterableIterator<string> {
    return this.list.map(([key]) => key)[Symbol.iterator]()
  }

  values(): IterableIterator<string> {
    return this.list.map(([, value]) => value)[Symbol.iterator]()
  }

  entries(): IterableIterator<[string, string]> {
    return this.list.map(([key, value]): [string, string] => [key, value])[Symbol.iterator]()
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries()
  }

  toString(): string {
    return this.list.map(([key, value]) => `${encodeFormComponent(key)}=${encodeFormComponent(value)}`).join('&')
  }

  private changed(): void {
    this.onChange?.()
  }
}

/** RFC 3986 section 5.2.4: drop "." segments and let ".." remove the segment before it. */
function removeDotSegments(path: string): string {
  const output: string[] = []
  const segments = path.split('/')
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1
    if (segment === '.') {
      if (last) output.push('')
    } else if (segment === '..') {
      if (output.length > 1) output.pop()
      if (last) output.push('')
    } else {
      output.push(segment)
    }
  })
  const joined = output.join('/')
  return joined.startsWith('/') ? joined : `/${joined}`
}

interface Parts {
  protocol: string
  hostname: string
  port: string
  pathname: string
  search: string
  hash: string
}

function parseAbsolute(input: string): Parts | null {
  const match = ABSOLUTE_URL.exec(input)
  if (!match) return null
  const [, scheme, authority, path, query = '', fragment = ''] = match
  if (authority.includes('@')) return null
  const host = HOST_AND_PORT.exec(authority)
  if (!host || host[1] === '') return null
  const protocol = scheme.toLowerCase()
  const port = host[2] ?? ''
  return {
    protocol,
    hostname: host[1].toLowerCase(),
    port: port === DEFAULT_PORTS[protocol] ? '' : port,
    pathname: removeDotSegments(path || '/'),
    search: query === '?' ? '' : query,
    hash: fragment === '#' ? '' : fragment,
  }
}

function resolve(input: string, base: Parts): Parts | null {
  if (input.startsWith('//')) return parseAbsolute(base.protocol + input)
  const match = /^([^?#]*)(\?[^#]*)?(#.*)?$/.exec(input)
  if (!match) return null
  const [, path, query, fragment = ''] = match
  if (path === '') {
    return {
      ...base,
      search: query === undefined ? base.search : query === '?' ? '' : query,
      hash: fragment === '#' ? '' : fragment,
    }
  }
  const directory = base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1)
  return {
    ...base,
    pathname: removeDotSegments(path.startsWith('/') ? path : directory + path),
    search: query === undefined || query === '?' ? '' : query,
    hash: fragment === '#' ? '' : fragment,
  }
}

export class URLPolyfill {
  private parts: Parts
  private readonly params = new URLSearchParamsPolyfill()

  constructor(url: string | { toString(): string }, base?: string | { toString(): string }) {
    const input = String(url).trim()
    let parts = parseAbsolute(input)
    if (!parts && base !== undefined) {
      const baseParts = parseAbsolute(String(base).trim())
      if (!baseParts) throw new TypeError(`Invalid base URL: ${String(base)}`)
      parts = resolve(input, baseParts)
    }
    if (!parts) throw new TypeError(`Invalid URL: ${input}`)
    this.parts = parts
    this.bindParams()
  }

  static canParse(url: string, base?: string): boolean {
    try {
      new URLPolyfill(url, base)
      return true
    } catch {
      return false
    }
  }

  get protocol(): string {
    return this.parts.protocol
  }

  set protocol(value: string) {
    const scheme = String(value).replace(/:.*$/, '').toLowerCase()
    if (/^[a-z][a-z\d+\-.]*$/.test(scheme)) {
      this.parts.protocol = `${scheme}:`
      if (this.parts.port === DEFAULT_PORTS[this.parts.protocol]) this.parts.port = ''
    }
  }

  get username(): string {
    return ''
  }

  get password(): string {
    return ''
  }

  get hostname(): string {
    return this.parts.hostname
  }

  set hostname(value: string) {
    if (value) this.parts.hostname = String(value).toLowerCase()
  }

  get port(): string {
    return this.parts.port
  }

  set port(value: string) {
    const port = String(value)
    if (port === '' || /^\d+$/.test(port)) this.parts.port = port === DEFAULT_PORTS[this.parts.protocol] ? '' : port
  }

  get host(): string {
    return this.parts.port ? `${this.parts.hostname}:${this.parts.port}` : this.parts.hostname
  }

  set host(value: string) {
    const match = HOST_AND_PORT.exec(String(value))
    if (!match || !match[1]) return
    this.hostname = match[1]
    if (match[2] !== undefined) this.port = match[2]
  }

  get origin(): string {
    return `${this.parts.protocol}//${this.host}`
  }

  get pathname(): string {
    return this.parts.pathname
  }

  set pathname(value: string) {
    const path = String(value)
    this.parts.pathname = removeDotSegments(path.startsWith('/') ? path : `/${path}`)
  }

  get search(): string {
    return this.parts.search.length > 1 ? this.parts.search : ''
  }

  set search(value: string) {
    const query = String(value)
    this.parts.search = query === '' || query === '?' ? '' : query.startsWith('?') ? query : `?${query}`
    this.bindParams()
  }

  get searchParams(): URLSearchParamsPolyfill {
    return this.params
  }

  get hash(): string {
    return this.parts.hash.length > 1 ? this.parts.hash : ''
  }

  set hash(value: string) {
    const fragment = String(value)
    this.parts.hash = fragment === '' || fragment === '#' ? '' : fragment.startsWith('#') ? fragment : `#${fragment}`
  }

  get href(): string {
    return `${this.origin}${this.parts.pathname}${this.search}${this.hash}`
  }

  set href(value: string) {
    const parts = parseAbsolute(String(value).trim())
    if (!parts) throw new TypeError(`Invalid URL: ${String(value)}`)
    this.parts = parts
    this.bindParams()
  }

  toString(): string {
    return this.href
  }

  toJSON(): string {
    return this.href
  }

  private bindParams(): void {
    URLSearchParamsPolyfill.bind(this.params, this.parts.search, () => {
      const query = this.params.toString()
      this.parts.search = query ? `?${query}` : ''
    })
  }
}
