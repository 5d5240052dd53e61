/**
 * /rest/v1 order, limit, offset, range() and the Range request header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, type Client } from '../support/clients'
import { expectPostgrestError, posts, rest, visibleNewestFirst } from './helpers'

let be: TestBackend
let anon: Client
let butler1: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  butler1 = await clientAs(be, 'butler1')
})
afterAll(async () => {
  await be?.close()
})

const idsOf = (rows: { id: string }[] | null) => (rows ?? []).map((r) => r.id)

describe('order', () => {
  it('orders descending', async () => {
    const { data, error } = await anon.from('posts').select('id').order('published_at', { ascending: false })
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual(visibleNewestFirst)
  })

  it('orders ascending', async () => {
    const { data, error } = await anon.from('posts').select('id').order('published_at', { ascending: true })
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual([...visibleNewestFirst].reverse())
  })

  it('orders by several columns in the order given', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id')
      .order('pinned', { ascending: false })
      .order('published_at', { ascending: false })
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual([posts.deadline, ...visibleNewestFirst.filter((id) => id !== posts.deadline)])
  })

  it('puts nulls last when ascending by default', async () => {
    const { data, error } = await butler1.from('posts').select('id').order('published_at', { ascending: true })
    expect(error).toBeNull()
    expect(idsOf(data).at(-1)).toBe(posts.draft)
  })

  it('puts nulls first when asked (nullsFirst)', async () => {
    const { data, error } = await butler1.from('posts').select('id').order('published_at', { ascending: true, nullsFirst: true })
    expect(error).toBeNull()
    expect(idsOf(data)[0]).toBe(posts.draft)
  })

  it('puts nulls last when descending and asked (nullsFirst: false)', async () => {
    const { data, error } = await butler1.from('posts').select('id').eq('region', '全市').order('published_at', { ascending: false, nullsFirst: false })
    expect(error).toBeNull()
    expect(idsOf(data)[0]).toBe(posts.subsidy)
    expect(idsOf(data).at(-1)).toBe(posts.draft)
  })

  it('refuses to order by an unknown column (400 42703)', async () => {
    const res = await anon.from('posts').select('id').order('nope' as 'id')
    expectPostgrestError(res, 400, '42703', 'column posts.nope does not exist')
  })

  it('refuses an order it cannot parse (400 PGRST100)', async () => {
    const res = await rest(be, '/posts?select=id&order=published_at.sideways')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST100', message: expect.stringMatching(/failed to parse order/) })
  })
})

describe('limit, offset and range()', () => {
  it('limit returns at most that many rows', async () => {
    const { data, error } = await anon.from('posts').select('id').order('published_at', { ascending: false }).limit(2)
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual(visibleNewestFirst.slice(0, 2))
  })

  it('limit 0 returns no rows', async () => {
    const { data, error, status } = await anon.from('posts').select('id').limit(0)
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([])
  })

  it('range(from, to) returns rows from..to inclusive', async () => {
    const { data, error } = await anon.from('posts').select('id').order('published_at', { ascending: false }).range(1, 3)
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual(visibleNewestFirst.slice(1, 4))
  })

  it('offset alone skips rows', async () => {
    const res = await rest(be, '/posts?select=id&order=published_at.desc&offset=4')
    expect(res.status).toBe(200)
    expect(idsOf(await res.json())).toEqual(visibleNewestFirst.slice(4))
  })

  it('an offset past the end without a count is an empty page (200)', async () => {
    const { data, error, status } = await anon.from('posts').select('id').range(10, 12)
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([])
  })

  it('refuses a limit that is not a number (400 PGRST100)', async () => {
    const res = await rest(be, '/posts?select=id&limit=ten')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST100' })
  })
})

describe('Range header', () => {
  it('pages with Range: from-to and reports Content-Range', async () => {
    const res = await rest(be, '/posts?select=id&order=published_at.desc', { headers: { 'Range-Unit': 'items', Range: '0-1' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('0-1/*')
    expect(idsOf(await res.json())).toEqual(visibleNewestFirst.slice(0, 2))
  })

  it('pages with an open-ended Range: from-', async () => {
    const res = await rest(be, '/posts?select=id&order=published_at.desc', { headers: { Range: '4-' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('4-5/*')
    expect(idsOf(await res.json())).toEqual(visibleNewestFirst.slice(4))
  })

  it('reports the whole range in Content-Range without a Range header', async () => {
    const res = await rest(be, '/posts?select=id')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('0-5/*')
  })

  it('ignores a Range header it cannot read', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Range: 'bytes=0-1' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toHaveLength(6)
  })

  it('refuses a Range whose lower bound is above its upper bound (416 PGRST103)', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Range: '3-1' } })
    expect(res.status).toBe(416)
    expect(await res.json()).toEqual({
      code: 'PGRST103',
      details: 'The lower boundary must be lower than or equal to the upper boundary in the Range header.',
      hint: null,
      message: 'Requested range not satisfiable',
    })
  })

  it('intersects a Range header with limit and offset', async () => {
    const res = await rest(be, '/posts?select=id&order=published_at.desc&offset=1&limit=3', { headers: { Range: '2-5' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('2-3/*')
    expect(idsOf(await res.json())).toEqual(visibleNewestFirst.slice(2, 4))
  })
})
