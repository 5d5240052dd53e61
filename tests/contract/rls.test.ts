/**
 * Row-level security as the API applies it: each persona reads what the policies let it, and counts
 * and embeds follow the same rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts, visibleNewestFirst } from './helpers'

let be: TestBackend
let anon: Client
let service: Client
beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  service = serviceClient(be)
  const { error } = await service.from('post_bookmarks').insert([
    { user_id: people.worker1, post_id: posts.loan },
    { user_id: people.worker2, post_id: posts.loan },
    { user_id: people.worker2, post_id: posts.story },
  ])
  if (error) throw new Error(error.message)
})
afterAll(async () => {
  await be?.close()
})

const ids = (rows: { id: string }[] | null) => (rows ?? []).map((r) => r.id).sort()

describe('anonymous', () => {
  it('reads only the published posts whose time has come', async () => {
    const { data, error } = await anon.from('posts').select('id')
    expect(error).toBeNull()
    expect(ids(data)).toEqual([...visibleNewestFirst].sort())
  })

  it('does not see a draft even by its id', async () => {
    const { data, error } = await anon.from('posts').select('id').eq('id', posts.draft)
    expect(error).toBeNull()
    expect(data).toEqual([])
  })

  it('does not see a post scheduled for later', async () => {
    const { data, error } = await anon.from('posts').select('id').eq('id', posts.scheduled)
    expect(error).toBeNull()
    expect(data).toEqual([])
  })

  it('counts only the rows it may see', async () => {
    const { count, error } = await anon.from('posts').select('*', { count: 'exact', head: true })
    expect(error).toBeNull()
    expect(count).toBe(6)
  })

  it('sees the names of the people who published, and no one else', async () => {
    const { data, error } = await anon.from('profiles').select('id, display_name')
    expect(error).toBeNull()
    expect(ids(data)).toEqual([people.admin, people.butler1, people.butler2].sort())
  })

  it('cannot read bookmarks at all (401 42501)', async () => {
    const res = await anon.from('post_bookmarks').select('post_id')
    expectPostgrestError(res, 401, '42501', 'permission denied for table post_bookmarks')
  })
})

describe('the author (butler1)', () => {
  it('sees their own draft beside the published posts', async () => {
    const butler1 = await clientAs(be, 'butler1')
    // (city-wide posts: staff also read every district's and street's posts)
    const { data, error } = await butler1.from('posts').select('id').eq('region', '全市')
    expect(error).toBeNull()
    expect(ids(data)).toEqual([...visibleNewestFirst, posts.draft].sort())
  })

  it('counts their draft', async () => {
    const butler1 = await clientAs(be, 'butler1')
    const { count, error } = await butler1.from('posts').select('*', { count: 'exact', head: true }).eq('region', '全市')
    expect(error).toBeNull()
    expect(count).toBe(7)
  })
})

describe('another butler (butler2)', () => {
  it("does not see butler1's draft", async () => {
    const butler2 = await clientAs(be, 'butler2')
    const { data, error } = await butler2.from('posts').select('id').eq('id', posts.draft)
    expect(error).toBeNull()
    expect(data).toEqual([])
  })

  it('sees their own post scheduled for later', async () => {
    const butler2 = await clientAs(be, 'butler2')
    const { data, error } = await butler2.from('posts').select('id').eq('id', posts.scheduled)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.scheduled }])
  })
})

describe('a worker (worker1)', () => {
  it('sees only their own bookmarks', async () => {
    const worker1 = await clientAs(be, 'worker1')
    const { data, error } = await worker1.from('post_bookmarks').select('user_id, post_id')
    expect(error).toBeNull()
    expect(data).toEqual([{ user_id: people.worker1, post_id: posts.loan }])
  })

  it("finds nothing when asking for another worker's bookmarks", async () => {
    const worker1 = await clientAs(be, 'worker1')
    const { data, error } = await worker1.from('post_bookmarks').select('post_id').eq('user_id', people.worker2)
    expect(error).toBeNull()
    expect(data).toEqual([])
  })

  it('counts only their own bookmarks', async () => {
    const worker1 = await clientAs(be, 'worker1')
    const { count, error } = await worker1.from('post_bookmarks').select('*', { count: 'exact', head: true })
    expect(error).toBeNull()
    expect(count).toBe(1)
  })

  it('sees only their own bookmarks inside an embed', async () => {
    const worker1 = await clientAs(be, 'worker1')
    const { data, error } = await worker1.from('posts').select('id, post_bookmarks(user_id)').eq('id', posts.loan)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan, post_bookmarks: [{ user_id: people.worker1 }] }])
  })

  it("cannot bookmark in another person's name (403 42501)", async () => {
    const worker1 = await clientAs(be, 'worker1')
    const res = await worker1.from('post_bookmarks').insert({ user_id: people.worker2, post_id: posts.openDay })
    expectPostgrestError(res, 403, '42501', 'new row violates row-level security policy for table "post_bookmarks"')
  })

  it("sees their own profile and not another worker's", async () => {
    const worker1 = await clientAs(be, 'worker1')
    const { data, error } = await worker1.from('profiles').select('id').in('id', [people.worker1, people.worker2])
    expect(error).toBeNull()
    expect(data).toEqual([{ id: people.worker1 }])
  })
})

describe('an admin', () => {
  it('reads every profile', async () => {
    const admin = await clientAs(be, 'admin')
    const { data, error } = await admin.from('profiles').select('id')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(expect.arrayContaining(Object.values(people)))
  })
})

describe('the service role', () => {
  it('reads every post and every bookmark', async () => {
    const all = await service.from('posts').select('*', { count: 'exact', head: true })
    const marks = await service.from('post_bookmarks').select('*', { count: 'exact', head: true })
    expect(all.count).toBe(16) // every seeded post, every region and state
    expect(marks.count).toBe(5) // these three and worker2's two seeded ones
  })
})
