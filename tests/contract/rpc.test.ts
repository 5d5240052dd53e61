/**
 * /rest/v1/rpc: functions called with POST (JSON arguments) and GET (query-string arguments), with
 * select, filters, order, paging and counts applied to a set-returning result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, type Client } from '../support/clients'
import { expectPostgrestError, posts, rest } from './helpers'

let be: TestBackend
let anon: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
})
afterAll(async () => {
  await be?.close()
})

const idsOf = (rows: { id: string }[] | null) => (rows ?? []).map((r) => r.id)

describe('calling a function', () => {
  it('a function without parameters is called with no arguments, by POST and by GET', async () => {
    const worker = await clientAs(be, 'worker1')
    const post = await worker.rpc('unread_notification_count')
    expect(post.error).toBeNull()
    expect(post.data).toBe(0)
    const get = await worker.rpc('unread_notification_count', undefined, { get: true })
    expect(get.error).toBeNull()
    expect(get.data).toBe(0)
  })

  it('POST passes the arguments as JSON and returns the set in the function\'s order', async () => {
    const { data, error, status } = await anon.rpc('search_posts', { query: '补贴' })
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(idsOf(data)).toEqual([posts.deadline, posts.subsidy])
  })

  it('GET passes the arguments in the query string ({ get: true })', async () => {
    const { data, error, status } = await anon.rpc('search_posts', { query: '补贴' }, { get: true })
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(idsOf(data)).toEqual([posts.deadline, posts.subsidy])
  })

  it('matches words of a summary and exact tags, and only what the caller may see', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '培训' })
    expect(error).toBeNull()
    // story says 培训 in its summary, openDay is tagged 培训; the scheduled course (tag 培训) is not
    // visible yet, because the function runs with the caller's rights.
    expect(idsOf(data)).toEqual([posts.story, posts.openDay])
  })

  it('an empty query returns the whole visible feed', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '' })
    expect(error).toBeNull()
    expect(data).toHaveLength(6)
  })
})

describe('select, filters, order and paging on the result', () => {
  it('selects columns of the result', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '贷款' }).select('title')
    expect(error).toBeNull()
    expect(data).toEqual([{ title: '创业担保贷款贴息政策解读' }])
  })

  it('embeds through the returned table\'s foreign keys', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '贷款' }).select('title, author:profiles!author_id(display_name)')
    expect(error).toBeNull()
    expect(data).toEqual([{ title: '创业担保贷款贴息政策解读', author: { display_name: '张管家' } }])
  })

  it('filters the result (POST)', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '补贴' }).eq('kind', 'policy')
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual([posts.subsidy])
  })

  it('filters the result (GET)', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '' }, { get: true }).in('kind', ['story', 'project'])
    expect(error).toBeNull()
    expect(idsOf(data).sort()).toEqual([posts.breakfast, posts.story].sort())
  })

  it('orders and limits the result', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '' }).order('published_at', { ascending: true }).limit(2)
    expect(error).toBeNull()
    expect(idsOf(data)).toEqual([posts.deadline, posts.openDay])
  })

  it("counts the result with count: 'exact'", async () => {
    const { data, count, status, error } = await anon.rpc('search_posts', { query: '' }, { count: 'exact' })
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(count).toBe(6)
    expect(data).toHaveLength(6)
  })

  it('a partial page of the result with a count answers 206', async () => {
    const { data, count, status, error } = await anon.rpc('search_posts', { query: '' }, { count: 'exact' }).range(0, 1)
    expect(error).toBeNull()
    expect(status).toBe(206)
    expect(count).toBe(6)
    expect(data).toHaveLength(2)
  })

  it('an offset past the end of the result with a count is refused (416 PGRST103)', async () => {
    const res = await anon.rpc('search_posts', { query: '' }, { count: 'exact' }).range(10, 11)
    expectPostgrestError(res, 416, 'PGRST103', 'Requested range not satisfiable')
    expect(res.error!.details).toBe('An offset of 10 was requested, but there are only 6 rows.')
  })

  it('head: true counts without rows', async () => {
    const { data, count, error } = await anon.rpc('search_posts', { query: '补贴' }, { head: true, count: 'exact' })
    expect(error).toBeNull()
    expect(count).toBe(2)
    expect(data).toBeNull()
  })

  it('single() returns one row of the result as an object', async () => {
    const { data, error } = await anon.rpc('search_posts', { query: '贷款' }).select('id').single()
    expect(error).toBeNull()
    expect(data).toEqual({ id: posts.loan })
  })
})

describe('errors', () => {
  it('refuses an unknown function (404 PGRST202)', async () => {
    const res = await anon.rpc('nope' as 'search_posts', { query: 'x' })
    expectPostgrestError(res, 404, 'PGRST202', 'Could not find the function public.nope(query) in the schema cache')
    expect(res.error!.details).toBe(
      'Searched for the function public.nope with parameter query or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
    )
  })

  it('refuses an unknown function called without arguments over GET (404 PGRST202)', async () => {
    const res = await anon.rpc('nope' as 'search_posts', undefined as never, { get: true })
    expectPostgrestError(res, 404, 'PGRST202', 'Could not find the function public.nope without parameters in the schema cache')
    expect(res.error!.details).toBe('Searched for the function public.nope without parameters, but no matches were found in the schema cache.')
  })

  it('refuses arguments the function does not take, naming the ones it does (404 PGRST202)', async () => {
    const res = await anon.rpc('search_posts', { q: '补贴' } as never)
    expectPostgrestError(res, 404, 'PGRST202', 'Could not find the function public.search_posts(q) in the schema cache')
    expect(res.error!.hint).toBe('Perhaps you meant to call the function public.search_posts(query)')
  })

  it('refuses a function the role may not execute (401 42501 for anonymous)', async () => {
    const res = await anon.rpc('set_user_role', { user_id: people.worker1, new_role: 'butler' })
    expectPostgrestError(res, 401, '42501', 'permission denied for function set_user_role')
  })

  it('runs GET calls read-only, so a function that writes is refused (405 25006)', async () => {
    const admin = await clientAs(be, 'admin')
    const res = await admin.rpc('set_user_role', { user_id: people.worker1, new_role: 'butler' }, { get: true })
    expectPostgrestError(res, 405, '25006', /^cannot execute .* in a read-only transaction$/)
  })

  it('refuses other methods on a function (405 PGRST101)', async () => {
    const res = await rest(be, '/rpc/search_posts', { method: 'PATCH', body: { query: '' } })
    expect(res.status).toBe(405)
    expect(await res.json()).toMatchObject({ code: 'PGRST101', message: 'Cannot use the PATCH method on RPC' })
  })
})
