import { describe, expect, it } from 'vitest'
import { AbortControllerPolyfill } from '../../src/services/supabase/polyfills/abort'
import { HeadersPolyfill } from '../../src/services/supabase/polyfills/headers'
import { installMissingWebGlobals } from '../../src/services/supabase/polyfills/install'
import { URLPolyfill, URLSearchParamsPolyfill } from '../../src/services/supabase/polyfills/url'

describe('URL polyfill', () => {
  // Each case is checked against Node's own URL, the reference implementation.
  const cases: Array<[string, string?]> = [
    ['http://127.0.0.1:54321'],
    ['https://API.Example.cn:443/rest/v1/posts?select=id,title&order=pinned.desc#top'],
    ['realtime/v1', 'http://127.0.0.1:54321/'],
    ['rest/v1', 'https://example.cn/prefix/'],
    ['/storage/v1', 'https://example.cn/prefix/'],
    ['../up', 'https://example.cn/a/b/c'],
    ['?q=1', 'https://example.cn/a/b'],
    ['//other.cn/x', 'https://example.cn/'],
  ]
  it.each(cases)('parses %s (base %s) as the platform URL does', (input, base) => {
    const ours = new URLPolyfill(input, base)
    const node = new URL(input, base)
    for (const key of ['href', 'protocol', 'host', 'hostname', 'port', 'pathname', 'search', 'hash', 'origin'] as const) {
      expect(ours[key], key).toBe(node[key])
    }
  })

  it('rejects what is not an absolute http(s) or ws(s) URL without a base', () => {
    expect(() => new URLPolyfill('not a url')).toThrow(TypeError)
    expect(() => new URLPolyfill('/rest/v1')).toThrow(TypeError)
  })

  it('changes href when the protocol is set, as supabase-js does for the realtime URL', () => {
    const url = new URLPolyfill('realtime/v1', 'https://example.cn/')
    url.protocol = url.protocol.replace('http', 'ws')
    expect(url.href).toBe('wss://example.cn/realtime/v1')
  })

  it('writes searchParams changes back into the URL, encoded like the platform', () => {
    const ours = new URLPolyfill('https://example.cn/rest/v1/posts')
    const node = new URL('https://example.cn/rest/v1/posts')
    for (const url of [ours, node]) {
      url.searchParams.set('select', 'id, title, author:profiles!author_id(display_name)')
      url.searchParams.append('title', 'ilike.*补贴*')
      url.searchParams.set('order', 'pinned.desc')
      url.searchParams.set('order', 'pinned.desc,published_at.desc')
    }
    expect(ours.toString()).toBe(node.toString())
    expect(ours.searchParams.get('title')).toBe('ilike.*补贴*')
  })
})

describe('URLSearchParams polyfill', () => {
  it('parses, decodes and serializes as the platform does', () => {
    const query = '?a=1&b=x+y&c=%E8%A1%A5&a=2&empty='
    const ours = new URLSearchParamsPolyfill(query)
    const node = new URLSearchParams(query)
    expect(ours.getAll('a')).toEqual(node.getAll('a'))
    expect(ours.get('b')).toBe(node.get('b'))
    expect(ours.get('c')).toBe('补')
    expect(ours.toString()).toBe(node.toString())
    expect(new URLSearchParamsPolyfill({ "q!'()~ *": '1' }).toString()).toBe(new URLSearchParams({ "q!'()~ *": '1' }).toString())
  })
})

describe('Headers polyfill', () => {
  it('treats names case-insensitively and joins appended values', () => {
    const headers = new HeadersPolyfill({ ApiKey: 'k' })
    headers.append('Accept', 'application/json')
    headers.append('accept', 'text/plain')
    expect(headers.get('APIKEY')).toBe('k')
    expect(headers.has('apikey')).toBe(true)
    expect(headers.get('Accept')).toBe('application/json, text/plain')
    headers.delete('ACCEPT')
    expect(headers.has('accept')).toBe(false)
  })

  it('copies another Headers object and lists entries sorted by name in lower case', () => {
    const copy = new HeadersPolyfill(new HeadersPolyfill([['X-B', '2'], ['x-a', '1']]))
    const seen: string[] = []
    copy.forEach((value, name) => seen.push(`${name}=${value}`))
    expect(seen).toEqual(['x-a=1', 'x-b=2'])
  })

  it('rejects an invalid header name', () => {
    expect(() => new HeadersPolyfill({ 'bad name': 'x' })).toThrow(TypeError)
  })
})

describe('AbortController polyfill', () => {
  it('fires abort listeners once and records the reason', () => {
    const controller = new AbortControllerPolyfill()
    const seen: string[] = []
    controller.signal.onabort = () => seen.push('onabort')
    controller.signal.addEventListener('abort', () => seen.push('listener'), { once: true })
    controller.abort()
    controller.abort()
    expect(seen).toEqual(['onabort', 'listener'])
    expect(controller.signal.aborted).toBe(true)
    expect((controller.signal.reason as Error).name).toBe('AbortError')
  })
})

describe('installMissingWebGlobals', () => {
  it('installs only what the target lacks and keeps what it has', () => {
    const ownUrl = function OwnURL() {}
    const target: Record<string, unknown> = { URL: ownUrl }
    const installed = installMissingWebGlobals(target)
    expect(installed).toEqual(['URLSearchParams', 'Headers', 'AbortController', 'AbortSignal'])
    expect(target.URL).toBe(ownUrl)
    expect(target.Headers).toBe(HeadersPolyfill)
  })

  it('installs nothing where the platform has everything, as in a browser', () => {
    expect(installMissingWebGlobals(globalThis)).toEqual([])
  })
})
