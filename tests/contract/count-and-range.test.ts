/**
 * /rest/v1 counts: `Prefer: count=exact`, 206 for a partial page, HEAD, and 416 past the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people, type Client } from '../support/clients'
import { expectPostgrestError, rest } from './helpers'

let be: TestBackend
let anon: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
})
afterAll(async () => {
  await be?.close()
})

describe('count', () => {
  it("count: 'exact' gives the total with the whole result (200)", async () => {
    const { data, count, status, error } = await anon.from('posts').select('id', { count: 'exact' })
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(count).toBe(6)
    expect(data).toHaveLength(6)
  })

  it('a partial page with a count answers 206 and the total', async () => {
    const { data, count, status, error } = await anon.from('posts').select('id', { count: 'exact' }).order('published_at').range(0, 1)
    expect(error).toBeNull()
    expect(status).toBe(206)
    expect(count).toBe(6)
    expect(data).toHaveLength(2)
  })

  it('reports the page and the total in Content-Range', async () => {
    const res = await rest(be, '/posts?select=id&offset=2&limit=3', { headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('2-4/6')
  })

  it('the count follows the filters', async () => {
    const { count, status, error } = await anon.from('posts').select('id', { count: 'exact' }).eq('kind', 'policy')
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(count).toBe(2)
  })

  it('the count follows an !inner embed filter', async () => {
    const { data, count, error } = await anon
      .from('posts')
      .select('id, author:profiles!author_id!inner(display_name)', { count: 'exact' })
      .eq('author.display_name', '王主任')
    expect(error).toBeNull()
    expect(count).toBe(2)
    expect(data).toHaveLength(2)
  })

  it('an empty result counts 0 and answers 200 with Content-Range */0', async () => {
    const res = await rest(be, `/posts?select=id&kind=eq.story&author_id=eq.${people.butler1}`, { headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('*/0')
    expect(await res.json()).toEqual([])
  })
})

describe('HEAD', () => {
  it('head: true returns the count without rows', async () => {
    const { data, count, status, error } = await anon.from('posts').select('*', { count: 'exact', head: true })
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(count).toBe(6)
    expect(data).toBeNull()
  })

  it('a HEAD request has headers and no body', async () => {
    const res = await rest(be, '/posts?select=id', { method: 'HEAD', headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('0-5/6')
    expect(await res.text()).toBe('')
  })

  it('head: true counts with filters', async () => {
    const { count, error } = await anon.from('posts').select('*', { count: 'exact', head: true }).contains('tags', ['补贴'])
    expect(error).toBeNull()
    expect(count).toBe(2)
  })
})

describe('offsets and the total', () => {
  it('an offset equal to the total is an empty partial page (206)', async () => {
    const { data, count, status, error } = await anon.from('posts').select('id', { count: 'exact' }).range(6, 7)
    expect(error).toBeNull()
    expect(status).toBe(206)
    expect(count).toBe(6)
    expect(data).toEqual([])
  })

  it('an offset past the end with a count is refused (416 PGRST103)', async () => {
    const res = await anon.from('posts').select('id', { count: 'exact' }).range(10, 12)
    expectPostgrestError(res, 416, 'PGRST103', 'Requested range not satisfiable')
    expect(res.error!.details).toBe('An offset of 10 was requested, but there are only 6 rows.')
  })
})
