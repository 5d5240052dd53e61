/**
 * `Accept: text/csv` on reads (supabase-js `.csv()`), as PostgREST writes it (SqlFragment.hs asCsvF):
 * a header of the columns, then one line per row in PostgreSQL's record text without its parentheses,
 * so a field holding a comma, quote, backslash, space or nothing is double-quoted (quotes and
 * backslashes doubled) and NULL is empty. The table is test-only, created as superuser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor } from '../support/clients'
import { eventually, posts, rest, untyped } from './helpers'

let be: TestBackend
let anon: ReturnType<typeof untyped>
beforeAll(async () => {
  be = await startTestBackend()
  anon = untyped(clientFor(be))
  await be.db.exec(`
    create table public.contract_csv (id int primary key, note text, tags text[], ok boolean);
    insert into public.contract_csv values
      (1, 'a,b', '{x,y}', true), (2, 'say "hi"', null, false), (3, '', '{}', null), (4, null, null, null),
      (5, 'back\\slash', null, null), (6, 'two words', null, null), (7, '创业', null, null);
    grant select on public.contract_csv to anon, authenticated;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/contract_csv?select=id')).status === 200))) {
    throw new Error('contract_csv was never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`drop table if exists public.contract_csv; notify pgrst, 'reload schema';`)
  await be?.close()
})

describe('Accept: text/csv', () => {
  it('answers the rows as CSV with a header line', async () => {
    const res = await rest(be, `/posts?select=id,kind&id=in.(${posts.loan},${posts.subsidy})&order=id`, { headers: { Accept: 'text/csv' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(await res.text()).toBe(`id,kind\n${posts.subsidy},policy\n${posts.loan},policy`)
  })

  it("quotes as PostgreSQL's record text does, and writes NULL as nothing", async () => {
    const { data, error, status } = await anon.from('contract_csv').select('id, note, tags, ok').order('id').csv()
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toBe(
      [
        'id,note,tags,ok',
        '1,"a,b","{x,y}",t',
        '2,"say ""hi""",,f',
        '3,"",{},',
        '4,,,',
        '5,"back\\\\slash",,',
        '6,"two words",,',
        '7,创业,,',
      ].join('\n'),
    )
  })

  it('answers an empty result as an empty header line', async () => {
    const res = await rest(be, '/contract_csv?select=id&id=eq.0', { headers: { Accept: 'text/csv' } })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('\n')
  })

  it('counts and pages as JSON does (206 with Content-Range)', async () => {
    const res = await rest(be, '/contract_csv?select=id&order=id&limit=2', { headers: { Accept: 'text/csv', Prefer: 'count=exact' } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('0-1/7')
    expect(await res.text()).toBe('id\n1\n2')
  })
})
