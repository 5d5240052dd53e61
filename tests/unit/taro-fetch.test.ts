import { describe, expect, it, vi } from 'vitest'
import { AbortControllerPolyfill } from '../../src/services/supabase/polyfills/abort'
import { HeadersPolyfill } from '../../src/services/supabase/polyfills/headers'
import {
  createTaroFetch,
  type TaroRequest,
  type TaroRequestOption,
  type TaroRequestResult,
} from '../../src/services/supabase/taro-fetch'

/** A fake Taro.request: records the option and settles the way the test says. */
function fakeRequest(settle: (option: TaroRequestOption) => Promise<TaroRequestResult>) {
  const calls: TaroRequestOption[] = []
  const abort = vi.fn()
  const request: TaroRequest = (option) => {
    calls.push(option)
    return Object.assign(settle(option), { abort })
  }
  return { request, calls, abort }
}

const ok = (data: unknown, statusCode = 200, header: Record<string, unknown> = {}) => async () => ({ statusCode, header, data })

describe('the request it sends', () => {
  it('sends method, url and headers given as a Headers object', async () => {
    const { request, calls } = fakeRequest(ok('[]'))
    const headers = new HeadersPolyfill({ apikey: 'anon', Authorization: 'Bearer t', 'Accept-Profile': 'public' })
    await createTaroFetch(request)('https://api.example.cn/rest/v1/posts?select=id', { method: 'get', headers: headers as never })
    expect(calls[0]).toMatchObject({
      url: 'https://api.example.cn/rest/v1/posts?select=id',
      method: 'GET',
      header: { apikey: 'anon', authorization: 'Bearer t', 'accept-profile': 'public' },
    })
  })

  it('accepts headers as a record or as pairs, and a URL object as input', async () => {
    const { request, calls } = fakeRequest(ok(''))
    const taroFetch = createTaroFetch(request)
    await taroFetch({ href: 'https://a.cn/x' } as never, { headers: { Prefer: 'count=exact' } })
    await taroFetch('https://a.cn/y', { headers: [['Range', '0-9']] })
    expect(calls[0].url).toBe('https://a.cn/x')
    expect(calls[0].header).toEqual({ prefer: 'count=exact' })
    expect(calls[1].header).toEqual({ range: '0-9' })
  })

  it('sends a string body unchanged and no data for a request without body', async () => {
    const { request, calls } = fakeRequest(ok('{}', 201))
    const taroFetch = createTaroFetch(request)
    await taroFetch('https://a.cn/rpc/f', { method: 'POST', body: '{"query":"补贴"}' })
    await taroFetch('https://a.cn/rest/v1/posts')
    expect(calls[0].data).toBe('{"query":"补贴"}')
    expect('data' in calls[1]).toBe(false)
  })

  it('asks wx.request for the body as raw text, never parsed JSON', async () => {
    const { request, calls } = fakeRequest(ok('[]'))
    await createTaroFetch(request)('https://a.cn/')
    expect(calls[0].dataType).not.toBe('json')
    expect(calls[0].responseType).toBe('text')
  })

  it('refuses PATCH, which wx.request cannot send, with a TypeError that says what to do', async () => {
    const { request, calls } = fakeRequest(ok(''))
    await expect(createTaroFetch(request)('https://a.cn/rest/v1/posts', { method: 'PATCH', body: '{}' })).rejects.toThrow(
      new TypeError('wx.request cannot send PATCH: call an RPC function for this change instead of update()'),
    )
    expect(calls).toHaveLength(0)
  })
})

describe('the response it resolves with', () => {
  it('maps status, ok and statusText', async () => {
    const { request } = fakeRequest(async (option) => ({ statusCode: option.url.endsWith('/missing') ? 404 : 201, header: {}, data: '' }))
    const taroFetch = createTaroFetch(request)
    const created = await taroFetch('https://a.cn/ok')
    const missing = await taroFetch('https://a.cn/missing')
    expect([created.status, created.ok, created.statusText]).toEqual([201, true, 'Created'])
    expect([missing.status, missing.ok, missing.statusText]).toEqual([404, false, 'Not Found'])
  })

  it('reads response headers case-insensitively', async () => {
    const { request } = fakeRequest(ok('[]', 206, { 'Content-Range': '0-9/42', 'content-type': 'application/json' }))
    const response = await createTaroFetch(request)('https://a.cn/')
    expect(response.headers.get('content-range')).toBe('0-9/42')
    expect(response.headers.get('Content-Type')).toBe('application/json')
    expect(response.headers.get('x-missing')).toBeNull()
  })

  it('gives the body back as text and as JSON', async () => {
    const body = '[{"title":"一次性创业补贴"}]'
    const { request } = fakeRequest(ok(body))
    const taroFetch = createTaroFetch(request)
    await expect((await taroFetch('https://a.cn/')).text()).resolves.toBe(body)
    await expect((await taroFetch('https://a.cn/')).json()).resolves.toEqual([{ title: '一次性创业补贴' }])
  })

  it('turns a body the runtime parsed anyway back into JSON text', async () => {
    const { request } = fakeRequest(ok({ code: '42501', message: 'permission denied' }, 403))
    const response = await createTaroFetch(request)('https://a.cn/')
    expect(JSON.parse(await response.text())).toEqual({ code: '42501', message: 'permission denied' })
  })

  it('lets the body be read once, like fetch', async () => {
    const { request } = fakeRequest(ok('x'))
    const response = await createTaroFetch(request)('https://a.cn/')
    await response.text()
    expect(response.bodyUsed).toBe(true)
    await expect(response.text()).rejects.toThrow(TypeError)
  })
})

describe('failures', () => {
  it('rejects with a TypeError, as fetch does, when no response arrived', async () => {
    const { request } = fakeRequest(() => Promise.reject({ errMsg: 'request:fail url not in domain list' }))
    const failure = createTaroFetch(request)('https://a.cn/')
    await expect(failure).rejects.toBeInstanceOf(TypeError)
    await expect(failure).rejects.toThrow('Network request failed: request:fail url not in domain list')
  })

  it('resolves, not rejects, for an HTTP error status', async () => {
    const { request } = fakeRequest(ok('{"message":"JWT expired"}', 401))
    await expect(createTaroFetch(request)('https://a.cn/')).resolves.toMatchObject({ status: 401, ok: false })
  })

  it('aborts the Taro request and rejects with an AbortError when the signal fires', async () => {
    const { request, abort } = fakeRequest(() => new Promise(() => undefined))
    const controller = new AbortControllerPolyfill()
    const pending = createTaroFetch(request)('https://a.cn/', { signal: controller.signal as never })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(abort).toHaveBeenCalledOnce()
  })

  it('does not send a request whose signal is already aborted', async () => {
    const { request, calls } = fakeRequest(ok(''))
    const controller = new AbortControllerPolyfill()
    controller.abort()
    await expect(createTaroFetch(request)('https://a.cn/', { signal: controller.signal as never })).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(calls).toHaveLength(0)
  })
})
