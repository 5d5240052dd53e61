/**
 * /rest/v1 select: columns, renames, casts, `*`, and embedded resources over foreign keys, as PostgREST
 * serves them to supabase-js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts } from './helpers'

let be: TestBackend
let anon: Client
let worker1: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  worker1 = await clientAs(be, 'worker1')
  const { error } = await serviceClient(be)
    .from('post_bookmarks')
    .insert([
      { user_id: people.worker1, post_id: posts.loan },
      { user_id: people.worker2, post_id: posts.loan },
    ])
  if (error) throw new Error(error.message)
})
afterAll(async () => {
  await be?.close()
})

describe('columns', () => {
  it('returns only the columns asked for', async () => {
    const { data, error, status } = await anon.from('posts').select('id, title').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([{ id: posts.loan, title: '创业担保贷款贴息政策解读' }])
  })

  it('renames a column with alias:column', async () => {
    const { data, error } = await anon.from('posts').select('heading:title').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ heading: '创业担保贷款贴息政策解读' }])
  })

  it('casts a column with column::type and keeps the column name', async () => {
    const { data, error } = await anon.from('posts').select('pinned::text').eq('id', posts.deadline)
    expect(error).toBeNull()
    expect(data).toEqual([{ pinned: 'true' }])
  })

  it('renames and casts together with alias:column::type', async () => {
    const { data, error } = await anon.from('posts').select('flag:pinned::text').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ flag: 'false' }])
  })

  it('returns every column for *', async () => {
    const { data, error } = await anon.from('posts').select('*').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(Object.keys(data![0]).sort()).toEqual(
      ['archived_at', 'author_id', 'body', 'body_doc', 'contact', 'cover_path', 'created_at', 'doc_number', 'effective_from', 'effective_to', 'id',
        'investment_max', 'investment_min', 'issuer', 'kind', 'pinned', 'published_at', 'read_count', 'region', 'revised_at', 'skills', 'status',
        'summary', 'tags', 'title', 'updated_at'],
    )
    expect(data![0]).toMatchObject({ id: posts.loan, kind: 'policy', tags: ['贷款'], status: 'published', pinned: false })
  })

  it('refuses an unknown column (400 42703)', async () => {
    const res = await anon.from('posts').select('id, nope' as '*')
    expectPostgrestError(res, 400, '42703', 'column posts.nope does not exist')
  })

  it('refuses a select list it cannot parse (400 PGRST100)', async () => {
    const res = await anon.from('posts').select('id, author(' as '*')
    expectPostgrestError(res, 400, 'PGRST100', /failed to parse select parameter/)
  })
})

describe('many-to-one embeds', () => {
  it('embeds the author as an object through a column hint (profiles!author_id)', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('title, author:profiles!author_id(display_name)')
      .eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ title: '创业担保贷款贴息政策解读', author: { display_name: '张管家' } }])
  })

  it('embeds the author through a constraint hint (profiles!posts_author_id_fkey)', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('title, author:profiles!posts_author_id_fkey(display_name)')
      .eq('id', posts.subsidy)
    expect(error).toBeNull()
    expect(data).toEqual([{ title: '一次性创业补贴：去产能分流职工可申请', author: { display_name: '李管家' } }])
  })

  it('spreads the columns of a to-one embed into the parent (...profiles)', async () => {
    const { data, error } = await anon.from('posts').select('id, ...profiles!author_id(author_name:display_name)').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, author_name: '张管家' }])
  })

  it('an embed with an empty select filters without adding a key (profiles!inner())', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id, profiles!author_id!inner()')
      .eq('profiles.display_name', '张管家')
      .order('id')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan }, { id: posts.openDay }])
  })

  it('refuses an embed that matches more than one relationship (300 PGRST201)', async () => {
    // posts reach profiles directly (author_id) and through the post_bookmarks junction; PostgREST lists
    // the relationships it derived last (many-to-many) first (EmbedDisambiguationSpec).
    const res = await anon.from('posts').select('title, profiles(display_name)')
    expectPostgrestError(res, 300, 'PGRST201', "Could not embed because more than one relationship was found for 'posts' and 'profiles'")
    expect(res.error!.hint).toBe(
      "Try changing 'profiles' to one of the following: 'profiles!post_bookmarks', 'profiles!posts_author_id_fkey'. Find the desired relationship in the 'details' key.",
    )
    expect(res.error!.details).toEqual([
      {
        cardinality: 'many-to-many',
        embedding: 'posts with profiles',
        relationship: 'post_bookmarks using post_bookmarks_post_id_fkey(post_id) and post_bookmarks_user_id_fkey(user_id)',
      },
      {
        cardinality: 'many-to-one',
        embedding: 'posts with profiles',
        relationship: 'posts_author_id_fkey using posts(author_id) and profiles(id)',
      },
    ])
  })

  it('orders parents by a column of a to-one embed (order=author(id))', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id, author:profiles!author_id(id)')
      .order('author(id)', { ascending: false })
      .order('id')
    expect(error).toBeNull()
    expect(data!.map((p) => p.author.id)).toEqual([people.butler2, people.butler2, people.butler1, people.butler1, people.admin, people.admin])
  })
})

describe('one-to-many and many-to-many embeds', () => {
  it('embeds an author\'s posts as an array, RLS applying inside it', async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('display_name, posts!author_id(id)')
      .eq('id', people.butler2)
    expect(error).toBeNull()
    // butler2's scheduled post is not visible yet.
    expect(data).toHaveLength(1)
    expect(data![0].display_name).toBe('张管家')
    expect(data![0].posts.map((p) => p.id).sort()).toEqual([posts.loan, posts.openDay])
  })

  it('embeds an empty array when there are no children', async () => {
    const { data, error } = await worker1.from('profiles').select('display_name, posts!author_id(id)').eq('id', people.worker1)
    expect(error).toBeNull()
    expect(data).toEqual([{ display_name: '刘建国', posts: [] }])
  })

  it('embeds through a junction table with the junction as hint (profiles!post_bookmarks)', async () => {
    const { data, error } = await worker1
      .from('posts')
      .select('id, bookmarked_by:profiles!post_bookmarks(display_name)')
      .eq('id', posts.loan)
    expect(error).toBeNull()
    // worker2's bookmark is hidden from worker1 by RLS on the junction.
    expect(data).toEqual([{ id: posts.loan, bookmarked_by: [{ display_name: '刘建国' }] }])
  })

  it('nests embeds (bookmark → post → author)', async () => {
    const { data, error } = await worker1
      .from('post_bookmarks')
      .select('post:posts(title, author:profiles!author_id(display_name))')
    expect(error).toBeNull()
    expect(data).toEqual([{ post: { title: '创业担保贷款贴息政策解读', author: { display_name: '张管家' } } }])
  })

  it('refuses an unknown relationship (400 PGRST200)', async () => {
    const res = await anon.from('posts').select('title, nope(*)' as '*')
    expectPostgrestError(res, 400, 'PGRST200', "Could not find a relationship between 'posts' and 'nope' in the schema cache")
    expect(res.error!.details).toBe(
      "Searched for a foreign key relationship between 'posts' and 'nope' in the schema 'public', but no matches were found.",
    )
  })
})

describe('filters, order and limits on embedded resources', () => {
  it('!inner drops the parents whose embed is filtered out', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id, author:profiles!author_id!inner(display_name)')
      .eq('author.display_name', '李管家')
      .order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { id: posts.subsidy, author: { display_name: '李管家' } },
      { id: posts.breakfast, author: { display_name: '李管家' } },
    ])
  })

  it('without !inner a filtered to-one embed is null and every parent stays', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id, author:profiles!author_id(display_name)')
      .eq('author.display_name', '李管家')
      .order('id')
    expect(error).toBeNull()
    expect(data).toHaveLength(6)
    expect(data!.filter((p) => p.author !== null).map((p) => p.id)).toEqual([posts.subsidy, posts.breakfast])
  })

  it('a not-is-null filter on the embed drops parents like !inner', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id, author:profiles!author_id(display_name)')
      .eq('author.display_name', '张管家')
      .not('author', 'is', null)
      .order('id')
    expect(error).toBeNull()
    expect(data!.map((p) => p.id)).toEqual([posts.loan, posts.openDay])
  })

  it('filters a to-many embed without dropping the parent', async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('id, posts!author_id(kind)')
      .eq('id', people.butler2)
      .eq('posts.kind', 'notice')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: people.butler2, posts: [{ kind: 'notice' }] }])
  })

  it('orders and limits a to-many embed with referencedTable', async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('id, posts!author_id(id)')
      .eq('id', people.butler1)
      .order('published_at', { referencedTable: 'posts', ascending: false })
      .limit(1, { referencedTable: 'posts' })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: people.butler1, posts: [{ id: posts.subsidy }] }])
  })

  it('applies or() to a to-many embed with referencedTable', async () => {
    const { data, error } = await anon
      .from('profiles')
      .select('id, posts!author_id(kind)')
      .eq('id', people.admin)
      .or('kind.eq.story,pinned.is.true', { referencedTable: 'posts' })
      .order('kind', { referencedTable: 'posts' })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: people.admin, posts: [{ kind: 'story' }, { kind: 'notice' }] }])
  })
})
