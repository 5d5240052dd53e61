/**
 * /rest/v1 single objects: `.single()` (Accept: application/vnd.pgrst.object+json) and `.maybeSingle()`
 * on reads and mutations. A mutation that would answer the wrong number of rows is rolled back.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts, rest } from './helpers'

let be: TestBackend
let anon: Client
let service: Client
let butler1: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  service = serviceClient(be)
  butler1 = await clientAs(be, 'butler1')
})
afterAll(async () => {
  await be?.close()
})

const SINGULAR = 'Cannot coerce the result to a single JSON object'

describe('single() on reads', () => {
  it('returns the one row as an object', async () => {
    const { data, error, status } = await anon.from('posts').select('id, title').eq('id', posts.loan).single()
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual({ id: posts.loan, title: '创业担保贷款贴息政策解读' })
  })

  it('answers with the object media type', async () => {
    const res = await rest(be, `/posts?select=id&id=eq.${posts.loan}`, { headers: { Accept: 'application/vnd.pgrst.object+json' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/vnd\.pgrst\.object\+json/)
    expect(await res.json()).toEqual({ id: posts.loan })
  })

  it('refuses zero rows (406 PGRST116)', async () => {
    const res = await anon.from('posts').select('id').eq('id', posts.draft).single()
    expectPostgrestError(res, 406, 'PGRST116', SINGULAR)
    expect(res.error!.details).toBe('The result contains 0 rows')
  })

  it('refuses many rows (406 PGRST116)', async () => {
    const res = await anon.from('posts').select('id').single()
    expectPostgrestError(res, 406, 'PGRST116', SINGULAR)
    expect(res.error!.details).toBe('The result contains 6 rows')
  })
})

describe('maybeSingle() on reads', () => {
  it('gives null data and no error for zero rows', async () => {
    const { data, error, status } = await anon.from('posts').select('id').eq('id', posts.draft).maybeSingle()
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toBeNull()
  })

  it('returns the one row as an object', async () => {
    const { data, error } = await anon.from('posts').select('id').eq('id', posts.story).maybeSingle()
    expect(error).toBeNull()
    expect(data).toEqual({ id: posts.story })
  })

  it('refuses many rows (406 PGRST116)', async () => {
    const res = await anon.from('posts').select('id').eq('kind', 'policy').maybeSingle()
    expect(res.status).toBe(406)
    expect(res.data).toBeNull()
    expect(res.error).toMatchObject({ code: 'PGRST116' })
  })
})

describe('single() on mutations', () => {
  it('returns the inserted row as an object (201)', async () => {
    const { data, error, status } = await butler1.from('posts').insert({ kind: 'notice', title: '单个插入' }).select('title, status').single()
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toEqual({ title: '单个插入', status: 'draft' })
  })

  it('rolls back an insert of two rows (406 PGRST116)', async () => {
    const res = await butler1
      .from('posts')
      .insert([
        { kind: 'notice', title: '回滚插入' },
        { kind: 'notice', title: '回滚插入' },
      ])
      .select()
      .single()
    expectPostgrestError(res, 406, 'PGRST116', SINGULAR)
    expect(res.error!.details).toBe('The result contains 2 rows')
    const { count } = await service.from('posts').select('id', { count: 'exact', head: true }).eq('title', '回滚插入')
    expect(count).toBe(0)
  })

  it('rolls back an update that touches two rows (406 PGRST116)', async () => {
    const res = await butler1
      .from('posts')
      .update({ summary: '不该留下' })
      .eq('author_id', people.butler1)
      .eq('status', 'published')
      .eq('region', '全市')
      .select()
      .single()
    expectPostgrestError(res, 406, 'PGRST116', SINGULAR)
    expect(res.error!.details).toBe('The result contains 2 rows')
    const { data } = await service.from('posts').select('summary').eq('summary', '不该留下')
    expect(data).toEqual([])
  })

  it('rolls back a delete that touches two rows (406 PGRST116)', async () => {
    const res = await butler1.from('posts').delete().eq('author_id', people.butler1).eq('status', 'published').select().single()
    expectPostgrestError(res, 406, 'PGRST116', SINGULAR)
    const { data } = await service.from('posts').select('id').in('id', [posts.subsidy, posts.breakfast])
    expect(data).toHaveLength(2)
  })

  it('refuses a delete that touches no row (406 PGRST116)', async () => {
    const res = await butler1.from('posts').delete().eq('id', randomUUID()).select().single()
    expectPostgrestError(res, 406, 'PGRST116', SINGULAR)
    expect(res.error!.details).toBe('The result contains 0 rows')
  })

  it('commits an update that touches exactly one row', async () => {
    const { data, error, status } = await butler1.from('posts').update({ summary: '一行' }).eq('id', posts.draft).select('summary').single()
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual({ summary: '一行' })
    const after = await service.from('posts').select('summary').eq('id', posts.draft).single()
    expect(after.data).toEqual({ summary: '一行' })
  })
})
