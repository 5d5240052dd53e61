/**
 * How an embedded resource is resolved to a relationship, as PostgREST's findRel (Plan.hs) resolves it:
 * self-referencing tables (the table name is the children, the foreign-key column the parent, a hint
 * only the column of the children), embedding by foreign-key constraint name, and the same relation
 * embedded twice without an alias (PostgreSQL's 42712, since PostgREST names each lateral join after it).
 * The tables are test-only, created by the test as superuser and dropped after.
 */
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people } from '../support/clients'
import { eventually, expectPostgrestError, posts, rest, untyped } from './helpers'

let be: TestBackend
let anon: SupabaseClient
beforeAll(async () => {
  be = await startTestBackend()
  anon = untyped(clientFor(be))
  await be.db.exec(`
    create table public.contract_collections (
      id int primary key,
      parent_id int references public.contract_collections (id),
      name text not null
    );
    insert into public.contract_collections values (1, null, '根'), (2, 1, '甲'), (3, 1, '乙'), (4, 2, '甲一');
    create table public.contract_people (
      id int primary key,
      mother_id int references public.contract_people (id),
      father_id int references public.contract_people (id)
    );
    grant select on public.contract_collections, public.contract_people to anon, authenticated;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/contract_people?select=id')).status === 200))) {
    throw new Error('the test tables were never served')
  }
})
afterAll(async () => {
  await be?.db.exec(`drop table if exists public.contract_collections, public.contract_people; notify pgrst, 'reload schema';`)
  await be?.close()
})

describe('a self-referencing table', () => {
  it('embeds the children as an array under the table name', async () => {
    const { data, error } = await anon.from('contract_collections').select('id, contract_collections(id)').order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: 1, contract_collections: [{ id: 2 }, { id: 3 }] },
      { id: 2, contract_collections: [{ id: 4 }] },
      { id: 3, contract_collections: [] },
      { id: 4, contract_collections: [] },
    ])
  })

  it('embeds the parent as an object under the foreign-key column (parent:parent_id)', async () => {
    const { data, error } = await anon.from('contract_collections').select('id, parent:parent_id(name)').in('id', [1, 4]).order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: 1, parent: null },
      { id: 4, parent: { name: '甲' } },
    ])
  })

  it('embeds the children through the column a hint names (children:contract_collections!parent_id)', async () => {
    const { data, error } = await anon.from('contract_collections').select('id, children:contract_collections!parent_id(id)').eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1, children: [{ id: 2 }, { id: 3 }] }])
  })

  it('nests the children of the children', async () => {
    const { data, error } = await anon
      .from('contract_collections')
      .select('name, children:contract_collections(name, children:contract_collections(name))')
      .eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ name: '根', children: [{ name: '甲', children: [{ name: '甲一' }] }, { name: '乙', children: [] }] }])
  })

  it('does not take a constraint name as the hint of a self-relationship (400 PGRST200)', async () => {
    const res = await anon.from('contract_collections').select('id, contract_collections!contract_collections_parent_id_fkey(id)')
    expectPostgrestError(res, 400, 'PGRST200', "Could not find a relationship between 'contract_collections' and 'contract_collections' in the schema cache")
    expect(res.error!.details).toBe(
      "Searched for a foreign key relationship between 'contract_collections' and 'contract_collections' using the hint 'contract_collections_parent_id_fkey' in the schema 'public', but no matches were found.",
    )
  })

  it('refuses the table name when two keys point at the table itself (300 PGRST201)', async () => {
    const res = await anon.from('contract_people').select('id, contract_people(id)')
    expectPostgrestError(res, 300, 'PGRST201', "Could not embed because more than one relationship was found for 'contract_people' and 'contract_people'")
    expect(res.error!.details).toEqual([
      {
        cardinality: 'one-to-many',
        embedding: 'contract_people with contract_people',
        relationship: 'contract_people_mother_id_fkey using contract_people(id) and contract_people(mother_id)',
      },
      {
        cardinality: 'one-to-many',
        embedding: 'contract_people with contract_people',
        relationship: 'contract_people_father_id_fkey using contract_people(id) and contract_people(father_id)',
      },
    ])
    expect(res.error!.hint).toBe(
      "Try changing 'contract_people' to one of the following: 'contract_people!contract_people_mother_id_fkey', 'contract_people!contract_people_father_id_fkey'. Find the desired relationship in the 'details' key.",
    )
  })
})

describe('the same relation embedded twice', () => {
  it('refuses it without aliases (400 42712)', async () => {
    const res = await anon.from('contract_collections').select('id, contract_collections(id), contract_collections(name)')
    expectPostgrestError(res, 400, '42712', 'table name "contract_collections_contract_collections_1" specified more than once')
  })

  it('serves it with an alias on one of them', async () => {
    const { data, error } = await anon
      .from('contract_collections')
      .select('id, contract_collections(id), names:contract_collections(name)')
      .eq('id', 2)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 2, contract_collections: [{ id: 4 }], names: [{ name: '甲一' }] }])
  })
})

describe('embedding by foreign-key constraint name', () => {
  it("embeds the rows whose key points at the parent (an author's posts through posts_author_id_fkey)", async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('written:posts_author_id_fkey(id)')
      .eq('id', people.butler2)
    expect(error).toBeNull()
    expect(data!.map((p) => (p.written as { id: string }[]).map((w) => w.id).sort())).toEqual([[posts.loan, posts.openDay].sort()])
  })

  it("embeds the row the parent's key points at (a post's author through posts_author_id_fkey)", async () => {
    const { data, error } = await anon.from('posts').select('id, author:posts_author_id_fkey(id)').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, author: { id: people.butler2 } }])
  })
})

describe('spreading a to-many embed (PostgREST 13)', () => {
  it('gives each spread column as the array of its values, in the order of the embed', async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('id, ...posts!author_id(post_id:id, kind)')
      .eq('id', people.butler2)
      .order('id', { referencedTable: 'posts' })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: people.butler2, post_id: [posts.loan, posts.openDay], kind: ['policy', 'notice'] }])
  })

  it('gives empty arrays when there is nothing to spread', async () => {
    const { data, error } = await anon.from('contract_collections').select('id, ...contract_collections(name)').eq('id', 4)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 4, name: [] }])
  })

  it('spreads an embedded resource of the spread as an array of objects', async () => {
    const { data, error } = await anon
      .from('contract_collections')
      .select('id, ...contract_collections(kids:contract_collections(name))')
      .eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1, kids: [[{ name: '甲一' }], []] }])
  })
})
