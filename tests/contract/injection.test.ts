/**
 * Nothing in a query string reaches SQL as SQL: a cast is one type name from the catalogue, JSON-path
 * keys and indexes, filter values, limits and offsets are bound. A request that tries otherwise meets
 * PostgREST's parse error (400 PGRST100) and no rows. JSON paths run on a test-only jsonb table, created
 * by the test as superuser and dropped afterwards (the app's schema has no jsonb column).
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, type Client } from '../support/clients'
import { eventually, expectPostgrestError, posts, rest } from './helpers'

let be: TestBackend
let worker1: Client
/** Untyped on purpose: the probe table exists only while the test runs. */
let db: SupabaseClient
beforeAll(async () => {
  be = await startTestBackend()
  worker1 = await clientAs(be, 'worker1')
  db = clientFor(be) as unknown as SupabaseClient
  await be.db.exec(`
    create table public.contract_injection_probe (id int primary key, data jsonb not null);
    insert into public.contract_injection_probe values
      (1, '{"a''b": "quote", "x;/*": "comment", "list": ["zero", "one"]}'),
      (2, '{"a''b": "other", "list": []}');
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/contract_injection_probe')).status === 200))) {
    throw new Error('contract_injection_probe was never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`drop table if exists public.contract_injection_probe; notify pgrst, 'reload schema';`)
  await be?.close()
})

/** GETs /rest/v1 with a raw (already encoded) query string, as a worker. */
async function getRaw(path: string) {
  const token = await be.signToken({ sub: people.worker1 })
  const res = await rest(be, path, { token })
  return { status: res.status, body: (await res.json()) as unknown }
}

describe('casts in select', () => {
  it('refuses a cast that smuggles a UNION through a JSON-path quote (400 PGRST100, no rows)', async () => {
    const select = `id,summary->>"a'::text,title::json from posts t_root where false union all select session_user::text,current_user::text--`
    const { status, body } = await getRaw(`/posts?select=${encodeURIComponent(select)}`)
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'PGRST100', message: expect.stringMatching(/^"failed to parse select parameter/) })
    expect(Array.isArray(body)).toBe(false)
    expect(JSON.stringify(body)).not.toMatch(/"postgres"|"authenticated"/)
  })

  it('refuses a cast to something that is not one type name (400 PGRST100)', async () => {
    const select = 'title::json from posts t_root where false union all select session_user'
    const res = await worker1.from('posts').select(select as '*')
    expectPostgrestError(res, 400, 'PGRST100', `"failed to parse select parameter (${select.replace(/\s/g, '')})" (line 1, column 8)`)
  })

  it('refuses a cast to a type the database does not have (400 PGRST100)', async () => {
    const res = await worker1.from('posts').select('title::nosuchtype' as '*')
    expectPostgrestError(res, 400, 'PGRST100', '"failed to parse select parameter (title::nosuchtype)" (line 1, column 8)')
    expect(res.error!.details).toBe('unexpected "n" expecting a type name, not "nosuchtype"')
  })

  it('refuses an array cast as PostgREST does (400 PGRST100)', async () => {
    const res = await worker1.from('posts').select('tags::text[]' as '*')
    expectPostgrestError(res, 400, 'PGRST100', /^"failed to parse select parameter \(tags::text\[\]\)"/)
  })

  it('casts to a catalogue type by its name or its SQL spelling, in any case', async () => {
    const { data, error } = await worker1
      .from('posts')
      .select('pinned::int4, published:published_at::TEXT, title::varchar, n:pinned::integer')
      .eq('id', posts.deadline)
      .single()
    expect(error).toBeNull()
    expect(data).toMatchObject({ pinned: 1, title: expect.any(String), n: 1 })
    expect(typeof (data as { published: unknown }).published).toBe('string')
  })
})

describe('JSON paths', () => {
  it('reads a key holding a quote, bound as a value', async () => {
    const { data, error } = await db.from('contract_injection_probe').select(`id, v:data->>a'b`).order('id')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1, v: 'quote' }, { id: 2, v: 'other' }])
  })

  it('filters on a key holding SQL comment and statement characters, bound as a value', async () => {
    const { status, body } = await getRaw(`/contract_injection_probe?select=id&${encodeURIComponent('data->>x;/*')}=eq.comment`)
    expect(status).toBe(200)
    expect(body).toEqual([{ id: 1 }])
  })

  it('reads an array element by a bound index', async () => {
    const { data, error } = await db.from('contract_injection_probe').select('id, data->list->>1').eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1, 1: 'one' }])
  })

  it('refuses an array index too large for PostgreSQL (400 PGRST100)', async () => {
    const res = await db.from('contract_injection_probe').select('data->list->99999999999999999999999')
    expectPostgrestError(res, 400, 'PGRST100', /^"failed to parse select parameter/)
  })
})

describe('numbers in the query string', () => {
  it('refuses a limit that is not an exact integer (400 PGRST100)', async () => {
    for (const limit of ['1e+23', '99999999999999999999999', '-1', '1.5']) {
      const { status, body } = await getRaw(`/posts?select=id&limit=${encodeURIComponent(limit)}`)
      expect(status, limit).toBe(400)
      expect(body, limit).toMatchObject({ code: 'PGRST100', message: `"failed to parse limit parameter (${limit})"` })
    }
  })

  it('refuses an offset that is not an exact integer (400 PGRST100)', async () => {
    const { status, body } = await getRaw('/posts?select=id&offset=99999999999999999999999')
    expect(status).toBe(400)
    expect(body).toMatchObject({ code: 'PGRST100', message: '"failed to parse offset parameter (99999999999999999999999)"' })
  })

  it('takes the largest exact offset and answers no rows', async () => {
    const { status, body } = await getRaw('/posts?select=id&offset=9007199254740991')
    expect(status).toBe(200)
    expect(body).toEqual([])
  })

  it('answers a Range header starting past 2^53 with 416 PGRST103', async () => {
    const res = await rest(be, '/posts?select=id', { headers: { Range: '99999999999999999999999-' } })
    expect(res.status).toBe(416)
    expect(await res.json()).toMatchObject({ code: 'PGRST103', message: 'Requested range not satisfiable' })
  })

  it('reads a Range header ending past 2^53 as open-ended', async () => {
    const res = await rest(be, '/posts?select=id&order=id', { headers: { Range: '0-99999999999999999999999' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toHaveLength(6)
  })
})
