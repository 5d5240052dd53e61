/**
 * /rest/v1 upsert: `Prefer: resolution=merge-duplicates|ignore-duplicates` with `on_conflict`.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts } from './helpers'

let be: TestBackend
let service: Client
let butler1: Client
let worker1: Client
beforeAll(async () => {
  be = await startTestBackend()
  service = serviceClient(be)
  butler1 = await clientAs(be, 'butler1')
  worker1 = await clientAs(be, 'worker1')
})
afterAll(async () => {
  await be?.close()
})

async function bookmarksOf(user: string, post: string) {
  const { data, error } = await service.from('post_bookmarks').select('user_id, post_id, created_at').eq('user_id', user).eq('post_id', post)
  if (error) throw new Error(error.message)
  return data
}

describe('merge duplicates', () => {
  it('updates the existing row with the sent columns and keeps the others', async () => {
    const { data, error, status } = await butler1
      .from('posts')
      .upsert({ id: posts.draft, kind: 'policy', title: '（草稿）场地租金补贴办法（修订）' })
      .select('id, title, summary')
    expect(error).toBeNull()
    // No row was created, so PostgREST answers 200, not 201 (Response.hs: 201 only when rows were inserted).
    expect(status).toBe(200)
    expect(data).toEqual([{ id: posts.draft, title: '（草稿）场地租金补贴办法（修订）', summary: '草稿：尚未发布。' }])
  })

  it('inserts a row that does not exist yet', async () => {
    const id = randomUUID()
    const { data, error, status } = await butler1.from('posts').upsert({ id, kind: 'notice', title: '新的' }).select('id, title')
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toEqual([{ id, title: '新的' }])
  })

  it('answers 200 without a body when it only updates and no representation is asked for', async () => {
    const res = await butler1.from('posts').upsert({ id: posts.draft, kind: 'policy', title: '（草稿）场地租金补贴办法' })
    expect(res.error).toBeNull()
    expect(res.status).toBe(200)
    expect(res.data).toBeNull()
  })

  it('answers 201 without a body when it creates a row and no representation is asked for', async () => {
    const res = await butler1.from('posts').upsert({ id: randomUUID(), kind: 'notice', title: '又一条' })
    expect(res.error).toBeNull()
    expect(res.status).toBe(201)
  })

  it('inserts and updates in one bulk upsert, answering 201 as a row was created', async () => {
    const id = randomUUID()
    const { data, error, status } = await butler1
      .from('posts')
      .upsert([
        { id: posts.breakfast, kind: 'project', title: '社区早餐店（更新）' },
        { id, kind: 'project', title: '社区洗衣店' },
      ])
      .select('id, title')
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toEqual([
      { id: posts.breakfast, title: '社区早餐店（更新）' },
      { id, title: '社区洗衣店' },
    ])
  })

  it('resolves on the columns named by onConflict', async () => {
    const { data, error, status } = await butler1
      .from('posts')
      .upsert({ id: posts.subsidy, kind: 'policy', title: '一次性创业补贴（更新）' }, { onConflict: 'id' })
      .select('id, title')
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([{ id: posts.subsidy, title: '一次性创业补贴（更新）' }])
  })

  it('sets every sent column on conflict, so it needs UPDATE rights (bookmark merge: 403 42501)', async () => {
    const first = await worker1.from('post_bookmarks').insert({ post_id: posts.loan })
    expect(first.error).toBeNull()
    const res = await worker1.from('post_bookmarks').upsert({ post_id: posts.loan }, { onConflict: 'user_id,post_id' }).select()
    expectPostgrestError(res, 403, '42501', 'permission denied for table post_bookmarks')
    expect(await bookmarksOf(people.worker1, posts.loan)).toHaveLength(1)
  })

  it('refuses onConflict columns without a unique constraint (400 42P10)', async () => {
    const res = await butler1.from('posts').upsert({ kind: 'notice', title: '冲突列' }, { onConflict: 'title' }).select()
    expectPostgrestError(res, 400, '42P10', 'there is no unique or exclusion constraint matching the ON CONFLICT specification')
  })

  it("cannot take over another author's row (403 42501)", async () => {
    const res = await butler1.from('posts').upsert({ id: posts.loan, kind: 'policy', title: '抢来的' }).select()
    expectPostgrestError(res, 403, '42501', 'new row violates row-level security policy (USING expression) for table "posts"')
    const { data } = await service.from('posts').select('title').eq('id', posts.loan).single()
    expect(data!.title).toBe('创业担保贷款贴息政策解读')
  })
})

describe('ignore duplicates', () => {
  it('leaves the existing row alone and returns nothing for it', async () => {
    const first = await worker1.from('post_bookmarks').insert({ post_id: posts.story }).select('created_at').single()
    expect(first.error).toBeNull()
    const { data, error, status } = await worker1
      .from('post_bookmarks')
      .upsert({ post_id: posts.story }, { onConflict: 'user_id,post_id', ignoreDuplicates: true })
      .select()
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toEqual([])
    expect(await bookmarksOf(people.worker1, posts.story)).toEqual([
      { user_id: people.worker1, post_id: posts.story, created_at: first.data!.created_at },
    ])
  })

  it('still inserts the rows that are new', async () => {
    const { data, error } = await worker1
      .from('post_bookmarks')
      .upsert([{ post_id: posts.story }, { post_id: posts.openDay }], { onConflict: 'user_id,post_id', ignoreDuplicates: true })
      .select('post_id')
    expect(error).toBeNull()
    expect(data).toEqual([{ post_id: posts.openDay }])
  })
})
