/**
 * Embedding through views, as PostgREST infers it (SchemaCache.hs addViewM2OAndO2ORels): a view whose
 * columns pass a foreign key's columns through unchanged, renamed or not, has that key's relationships
 * (view to table, table to view, view to view). The views are `security_invoker`, so row-level security
 * of the tables still decides. Test-only views, created as superuser and dropped after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientFor, people } from '../support/clients'
import { eventually, expectPostgrestError, posts, rest, untyped } from './helpers'

let be: TestBackend
let anon: ReturnType<typeof untyped>
beforeAll(async () => {
  be = await startTestBackend()
  anon = untyped(clientFor(be))
  await be.db.exec(`
    create view public.contract_post_cards with (security_invoker = true) as
      select id, title, author_id as writer from public.posts;
    create view public.contract_people_names with (security_invoker = true) as
      select id as person, display_name from public.profiles;
    grant select on public.contract_post_cards, public.contract_people_names to anon, authenticated;
    notify pgrst, 'reload schema';
  `)
  if (!(await eventually(async () => (await rest(be, '/contract_post_cards?select=id,profiles!writer(id)&limit=1')).status === 200))) {
    throw new Error('the test views were never served with their relationships')
  }
})
afterAll(async () => {
  await be?.db.exec(`drop view if exists public.contract_post_cards, public.contract_people_names; notify pgrst, 'reload schema';`)
  await be?.close()
})

describe('relationships inferred through security_invoker views', () => {
  it('finds the junction through the view too, so the bare table name is ambiguous (300 PGRST201)', async () => {
    // post_bookmarks references posts(id), which the view passes through: PostgREST infers the
    // many-to-many contract_post_cards ↔ profiles as well as the view's own many-to-one.
    const res = await anon.from('contract_post_cards').select('id, profiles(display_name)')
    expectPostgrestError(res, 300, 'PGRST201', "Could not embed because more than one relationship was found for 'contract_post_cards' and 'profiles'")
    expect(res.error!.details).toContainEqual({
      cardinality: 'many-to-one',
      embedding: 'contract_post_cards with profiles',
      relationship: 'posts_author_id_fkey using contract_post_cards(writer) and profiles(id)',
    })
  })

  it("embeds the table a view's renamed key column points at (view → table, many-to-one)", async () => {
    const { data, error } = await anon.from('contract_post_cards').select('id, profiles!writer(display_name)').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, profiles: { display_name: '张管家' } }])
  })

  it('embeds the view rows that point at a table row (table → view, one-to-many), row-level security applying', async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('id, contract_post_cards!writer(id)')
      .eq('id', people.butler2)
      .order('id', { referencedTable: 'contract_post_cards' })
    expect(error).toBeNull()
    // butler2's scheduled post is not visible yet, through the view as through the table.
    expect(data).toEqual([{ id: people.butler2, contract_post_cards: [{ id: posts.loan }, { id: posts.openDay }] }])
  })

  it('embeds one view in another (view → view)', async () => {
    const { data, error } = await anon.from('contract_post_cards').select('id, contract_people_names!writer(display_name)').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, contract_people_names: { display_name: '张管家' } }])
  })

  it('embeds through the view column the key passes through (writer)', async () => {
    const { data, error } = await anon.from('contract_post_cards').select('id, author:writer(display_name)').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, author: { display_name: '张管家' } }])
  })
})
