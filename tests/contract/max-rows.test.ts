/**
 * Supabase's default "Max rows" (PostgREST db-max-rows = 1000): no read answers more rows than that,
 * whatever limit was asked; counts still see every row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, type Client } from '../support/clients'
import { rest } from './helpers'

let be: TestBackend
let anon: Client
/** The six seeded visible posts plus these. */
const extra = 1200
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  await be.db.exec(`
    insert into public.posts (kind, title, status, published_at, author_id)
    select 'notice', '批量通知 ' || i, 'published', now() - interval '10 days', '00000000-0000-4000-8000-000000000001'
    from generate_series(1, ${extra}) i;
  `)
})
afterAll(async () => {
  await be?.close()
})

describe('max rows', () => {
  it('answers at most 1000 rows when no limit is given', async () => {
    const { data, error, status } = await anon.from('posts').select('id')
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toHaveLength(1000)
  })

  it('caps a larger limit at 1000 rows', async () => {
    const { data, error } = await anon.from('posts').select('id').limit(5000)
    expect(error).toBeNull()
    expect(data).toHaveLength(1000)
  })

  it('counts every row and answers 206 for the capped page', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`0-999/${extra + 6}`)
  })

  it('pages past the first 1000 rows with range()', async () => {
    const { data, count, error, status } = await anon.from('posts').select('id', { count: 'exact' }).order('id').range(1000, 1999)
    expect(error).toBeNull()
    expect(status).toBe(206)
    expect(count).toBe(extra + 6)
    expect(data).toHaveLength(extra + 6 - 1000)
  })

  it('caps a function result too', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '' })
    expect(error).toBeNull()
    expect(data).toHaveLength(1000)
  })
})
