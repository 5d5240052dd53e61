/**
 * `Prefer: handling=strict, max-affected=N` (PostgREST 13, which hosted Supabase serves; supabase-js's
 * `.maxAffected(n)` sends exactly this): a PATCH, DELETE or set-returning RPC that touches more rows
 * answers 400 PGRST124 and changes nothing; a function returning one value cannot take it (PGRST128);
 * without handling=strict the preference is ignored (MainTx.hs failExceedsMaxAffectedPref, Plan.hs).
 * The functions are test-only, created as superuser and dropped after.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people, serviceClient, type Client } from '../support/clients'
import { eventually, rest } from './helpers'

let be: TestBackend
let service: Client
beforeAll(async () => {
  be = await startTestBackend()
  service = serviceClient(be)
  await be.db.exec(`
    create function public.contract_touch_posts(k public.post_kind) returns setof public.posts
      language sql volatile as $$ update public.posts set updated_at = now() where kind = k and region = '全市' returning * $$;
    create function public.contract_answer() returns int language sql stable as $$ select 42 $$;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/rpc/contract_answer')).status === 200))) {
    throw new Error('the test functions were never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`
    drop function if exists public.contract_touch_posts(public.post_kind);
    drop function if exists public.contract_answer();
    notify pgrst, 'reload schema';
  `)
  await be?.close()
})

const asService = (path: string, method: string, prefer: string, body?: unknown) =>
  rest(be, path, { method, apikey: be.serviceRoleKey, token: be.serviceRoleKey, headers: { Prefer: prefer }, body })

/** The seed's three city-wide policies (the regional ones are left out, so the counts stay small). */
async function summaries(kind: 'policy') {
  const { data, error } = await service.from('posts').select('id, summary').eq('kind', kind).eq('region', '全市').order('id')
  if (error) throw new Error(error.message)
  return data
}

describe('PATCH', () => {
  it('refuses to change more rows than allowed (400 PGRST124) and changes none', async () => {
    const before = await summaries('policy')
    const res = await asService('/posts?kind=eq.policy&region=eq.全市', 'PATCH', 'handling=strict, max-affected=2', { summary: '批量' })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      code: 'PGRST124',
      details: 'The query affects 3 rows',
      hint: null,
      message: 'Query result exceeds max-affected preference constraint',
    })
    expect(await summaries('policy')).toEqual(before)
  })

  it('changes the rows when they are no more than allowed, and says the preference was applied', async () => {
    const res = await asService('/posts?kind=eq.policy&region=eq.全市', 'PATCH', 'handling=strict, max-affected=3', { summary: '批量' })
    expect(res.status).toBe(204)
    expect(res.headers.get('preference-applied')).toBe('handling=strict, max-affected=3')
    expect((await summaries('policy')).map((p) => p.summary)).toEqual(['批量', '批量', '批量'])
  })

  it('ignores max-affected without handling=strict', async () => {
    const res = await asService('/posts?kind=eq.policy&region=eq.全市', 'PATCH', 'max-affected=1', { summary: '宽松' })
    expect(res.status).toBe(204)
    expect(res.headers.get('preference-applied')).toBeNull()
    expect((await summaries('policy')).map((p) => p.summary)).toEqual(['宽松', '宽松', '宽松'])
  })
})

describe('DELETE', () => {
  it('refuses to delete more rows than allowed (400 PGRST124) and deletes none', async () => {
    const ids = [randomUUID(), randomUUID()]
    const { error } = await service.from('posts').insert(ids.map((id) => ({ id, author_id: people.butler1, kind: 'notice' as const, title: '待删' })))
    expect(error).toBeNull()
    const res = await asService(`/posts?id=in.(${ids.join(',')})`, 'DELETE', 'handling=strict, max-affected=1')
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST124', details: 'The query affects 2 rows' })
    const { count } = await service.from('posts').select('id', { count: 'exact', head: true }).in('id', ids)
    expect(count).toBe(2)
  })
})

describe('RPC', () => {
  it('refuses a set-returning call that returns more rows than allowed (400 PGRST124), rolling it back', async () => {
    const res = await asService('/rpc/contract_touch_posts', 'POST', 'handling=strict, max-affected=2', { k: 'policy' })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST124', details: 'The query affects 3 rows' })
  })

  it('serves a set-returning call within the limit', async () => {
    const res = await asService('/rpc/contract_touch_posts?select=kind', 'POST', 'handling=strict, max-affected=3', { k: 'policy' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ kind: 'policy' }, { kind: 'policy' }, { kind: 'policy' }])
  })

  it('refuses max-affected on a function returning one value (400 PGRST128)', async () => {
    const res = await asService('/rpc/contract_answer', 'POST', 'handling=strict, max-affected=1', {})
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      code: 'PGRST128',
      details: null,
      hint: null,
      message: 'Function must return SETOF or TABLE when max-affected preference is used with handling=strict',
    })
  })
})
