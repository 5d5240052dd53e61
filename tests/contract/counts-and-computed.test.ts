/**
 * Counting related rows without aggregates (`select=count`, `posts(count)`, nested), and computed fields
 * (functions taking a table's row type) in select, filters, order and embeds. PostgREST writes a field
 * as `alias.name` and PostgreSQL reads that as `count(alias)` or `fn(alias)` when there is no such
 * column (AggregateFunctionsSpec: "performing a count by using it as a column (backwards compat)"; the
 * computed fields page of PostgREST's documentation). The function is test-only, created as superuser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people } from '../support/clients'
import { eventually, expectPostgrestError, posts, rest, untyped } from './helpers'

let be: TestBackend
let anon: ReturnType<typeof untyped>
let service: ReturnType<typeof untyped>
beforeAll(async () => {
  be = await startTestBackend()
  anon = untyped(clientFor(be))
  service = untyped(clientFor(be, be.serviceRoleKey))
  await be.db.exec(`
    create function public.contract_title_length(public.posts) returns int
      language sql stable as $$ select char_length($1.title) $$;
    grant execute on function public.contract_title_length(public.posts) to anon, authenticated;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/posts?select=contract_title_length&limit=1')).status === 200))) {
    throw new Error('contract_title_length was never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`drop function if exists public.contract_title_length(public.posts); notify pgrst, 'reload schema';`)
  await be?.close()
})

describe('counts without aggregates', () => {
  it('counts the rows of a table with select=count', async () => {
    const { data, error, status } = await anon.from('posts').select('count')
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([{ count: 6 }])
  })

  it("counts each parent's related rows as [{ count }] (posts!author_id(count))", async () => {
    const { data, error } = await service
      .from('profiles')
      .select('id, posts!author_id(count)')
      .in('id', [people.butler2, people.worker1])
      .order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: people.butler2, posts: [{ count: 5 }] }, // 3 city-wide, the 四方区 tax policy, a 水清沟街道 draft
      { id: people.worker1, posts: [{ count: 0 }] },
    ])
  })

  it('counts a filtered embed', async () => {
    const { data, error } = await anon.from('profiles').select('id, posts!author_id(count)').eq('id', people.butler2).eq('posts.kind', 'notice')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: people.butler2, posts: [{ count: 1 }] }])
  })

  it('counts in a nested embed (posts → post_bookmarks(count))', async () => {
    const { error: seeded } = await service.from('post_bookmarks').insert({ user_id: people.worker1, post_id: posts.loan })
    expect(seeded).toBeNull()
    const { data, error } = await service
      .from('profiles')
      .select('posts!author_id(id, post_bookmarks(count))')
      .eq('id', people.butler2)
      .order('id', { referencedTable: 'posts' })
    expect(error).toBeNull()
    expect(data).toEqual([
      {
        posts: [
          { id: posts.loan, post_bookmarks: [{ count: 1 }] },
          { id: posts.openDay, post_bookmarks: [{ count: 0 }] },
          { id: posts.scheduled, post_bookmarks: [{ count: 0 }] },
          { id: '10000000-0000-4000-8000-000000000012', post_bookmarks: [{ count: 0 }] },
          { id: '10000000-0000-4000-8000-000000000017', post_bookmarks: [{ count: 0 }] },
        ],
      },
    ])
  })

  it('still refuses count() and other aggregate functions (400 PGRST123)', async () => {
    const res = await anon.from('profiles').select('id, posts!author_id(count())')
    expectPostgrestError(res, 400, 'PGRST123', 'Use of aggregate functions is not allowed')
  })
})

describe('computed fields', () => {
  it('selects a function of the row like a column, with an alias and a cast', async () => {
    const { data, error } = await anon.from('posts').select('id, contract_title_length, len:contract_title_length::text').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, contract_title_length: 12, len: '12' }])
  })

  it('filters and orders by a computed field', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id')
      .gt('contract_title_length', 11)
      .order('contract_title_length', { ascending: false })
      .order('id')
      .limit(1)
    expect(error).toBeNull()
    expect(data).toHaveLength(1)
    const { data: all } = await anon.from('posts').select('id, title')
    const longest = Math.max(...all!.map((p) => [...(p.title as string)].length))
    const { data: top } = await anon.from('posts').select('id, contract_title_length').eq('id', data![0].id)
    expect(top![0].contract_title_length).toBe(longest)
  })

  it('selects a computed field inside an embed', async () => {
    const { data, error } = await anon.from('profiles').select('posts!author_id(id, contract_title_length)').eq('id', people.butler2)
    expect(error).toBeNull()
    const list = (data![0] as { posts: { id: string; contract_title_length: number }[] }).posts
    expect(list.find((p) => p.id === posts.loan)).toEqual({ id: posts.loan, contract_title_length: 12 })
  })

  it('returns a computed field in the representation of a write', async () => {
    const { data, error } = await service.from('posts').update({ summary: '更新' }).eq('id', posts.loan).select('contract_title_length')
    expect(error).toBeNull()
    expect(data).toEqual([{ contract_title_length: 12 }])
  })

  it('refuses a name that is neither a column nor a computed field (400 42703)', async () => {
    const res = await anon.from('posts').select('id, nope')
    expectPostgrestError(res, 400, '42703', 'column posts.nope does not exist')
  })
})
