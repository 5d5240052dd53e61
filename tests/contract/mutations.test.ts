/**
 * /rest/v1 insert, update and delete: single and bulk, returned representation or minimal, missing
 * keys as null or default, filters on update and delete.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts, rest } from './helpers'

let be: TestBackend
let service: Client
let butler1: Client
let butler2: Client
let worker1: Client
beforeAll(async () => {
  be = await startTestBackend()
  service = serviceClient(be)
  butler1 = await clientAs(be, 'butler1')
  butler2 = await clientAs(be, 'butler2')
  worker1 = await clientAs(be, 'worker1')
})
afterAll(async () => {
  await be?.close()
})

/** A draft by butler1, made with the service role, for a test to change. */
async function draftOfButler1(fields: { title?: string; summary?: string } = {}) {
  const id = randomUUID()
  const { error } = await service
    .from('posts')
    .insert({ id, kind: 'notice', title: fields.title ?? '测试草稿', summary: fields.summary ?? '原摘要', author_id: people.butler1 })
  if (error) throw new Error(error.message)
  return id
}

async function postRow(id: string) {
  const { data, error } = await service.from('posts').select('*').eq('id', id).maybeSingle()
  if (error) throw new Error(error.message)
  return data
}

describe('insert', () => {
  it('inserts one row and returns it with its defaults (201, .select())', async () => {
    const { data, error, status } = await butler1.from('posts').insert({ kind: 'notice', title: '新通知' }).select()
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toHaveLength(1)
    expect(data![0]).toMatchObject({
      kind: 'notice',
      title: '新通知',
      summary: '',
      tags: [],
      status: 'draft',
      pinned: false,
      published_at: null,
      author_id: people.butler1,
    })
    expect(data![0].id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('returns nothing by default (201, return=minimal)', async () => {
    const id = randomUUID()
    const { data, error, status } = await butler1.from('posts').insert({ id, kind: 'notice', title: '不返回' })
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toBeNull()
    expect(await postRow(id)).toMatchObject({ title: '不返回' })
  })

  it('returns only the columns asked for, with embeds', async () => {
    const { data, error } = await butler1
      .from('posts')
      .insert({ kind: 'story', title: '带作者' })
      .select('title, author:profiles!author_id(display_name)')
    expect(error).toBeNull()
    expect(data).toEqual([{ title: '带作者', author: { display_name: '李管家' } }])
  })

  it('inserts several rows at once, returned in order', async () => {
    const { data, error, status } = await butler1
      .from('posts')
      .insert([
        { kind: 'notice', title: '批量一', tags: ['a'] },
        { kind: 'policy', title: '批量二', tags: ['b'] },
      ])
      .select('title, tags')
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toEqual([
      { title: '批量一', tags: ['a'] },
      { title: '批量二', tags: ['b'] },
    ])
  })

  it('in a bulk insert a key missing from one row is null, so a not-null column refuses it (400 23502)', async () => {
    const res = await butler1
      .from('posts')
      .insert([
        { kind: 'notice', title: '有标签', tags: ['x'] },
        { kind: 'notice', title: '没有标签' },
      ])
      .select('title')
    expectPostgrestError(res, 400, '23502', 'null value in column "tags" of relation "posts" violates not-null constraint')
  })

  it('with defaultToNull: false a missing key takes the column default', async () => {
    const { data, error, status } = await butler1
      .from('posts')
      .insert(
        [
          { kind: 'notice', title: '有标签', tags: ['x'] },
          { kind: 'notice', title: '没有标签' },
        ],
        { defaultToNull: false },
      )
      .select('title, tags')
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(data).toEqual([
      { title: '有标签', tags: ['x'] },
      { title: '没有标签', tags: [] },
    ])
  })

  it("reports how many rows it inserted with count: 'exact'", async () => {
    const { count, error, status } = await butler1
      .from('posts')
      .insert([{ kind: 'notice', title: '计数一' }, { kind: 'notice', title: '计数二' }], { count: 'exact' })
    expect(error).toBeNull()
    expect(status).toBe(201)
    expect(count).toBe(2)
  })

  it('ignores Prefer: tx=rollback, as Supabase does not let clients end the transaction', async () => {
    const id = randomUUID()
    const token = await be.signToken({ sub: people.butler1 })
    const res = await rest(be, '/posts', { method: 'POST', token, headers: { Prefer: 'tx=rollback' }, body: { id, kind: 'notice', title: '不回滚' } })
    expect(res.status).toBe(201)
    expect(res.headers.get('preference-applied')).toBeNull()
    expect(await postRow(id)).toMatchObject({ title: '不回滚' })
  })

  it('refuses a key that is not a column (400 PGRST204)', async () => {
    const res = await butler1
      .from('posts')
      .insert({ kind: 'notice', title: '多余的键', nope: 1 } as never)
      .select()
    expectPostgrestError(res, 400, 'PGRST204', "Could not find the 'nope' column of 'posts' in the schema cache")
  })

  it('refuses a body that is not JSON (400 PGRST102)', async () => {
    const token = await be.signToken({ sub: people.butler1 })
    const res = await fetch(`${be.url}/rest/v1/posts`, {
      method: 'POST',
      headers: { apikey: be.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"kind": ',
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ code: 'PGRST102' })
  })
})

describe('update', () => {
  it('updates the filtered row and returns it (200, .select())', async () => {
    const id = await draftOfButler1()
    const before = await postRow(id)
    const { data, error, status } = await butler1.from('posts').update({ title: '改过的标题' }).eq('id', id).select('id, title, summary')
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([{ id, title: '改过的标题', summary: '原摘要' }])
    expect((await postRow(id))!.updated_at >= before!.updated_at).toBe(true)
  })

  it('answers 204 without a body by default', async () => {
    const id = await draftOfButler1()
    const { data, error, status } = await butler1.from('posts').update({ summary: '新摘要' }).eq('id', id)
    expect(error).toBeNull()
    expect(status).toBe(204)
    expect(data).toBeNull()
    expect((await postRow(id))!.summary).toBe('新摘要')
  })

  it('changes only the rows the filters match', async () => {
    const a = await draftOfButler1()
    const b = await draftOfButler1()
    const c = await draftOfButler1()
    // (summary, not pinned: pinning is a state change people make through set_post_pinned only)
    const { data, error } = await butler1.from('posts').update({ summary: '改过的摘要' }).in('id', [a, b]).select('id')
    expect(error).toBeNull()
    expect(data!.map((r) => r.id).sort()).toEqual([a, b].sort())
    expect((await postRow(c))!.summary).not.toBe('改过的摘要')
  })

  it('returns an empty array when no row matches', async () => {
    const { data, error, status } = await butler1.from('posts').update({ title: '无' }).eq('id', randomUUID()).select()
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([])
  })

  it("changes nothing in another author's post (RLS hides it)", async () => {
    const id = await draftOfButler1({ title: '李管家的草稿' })
    const { data, error } = await butler2.from('posts').update({ title: '张管家改的' }).eq('id', id).select()
    expect(error).toBeNull()
    expect(data).toEqual([])
    expect((await postRow(id))!.title).toBe('李管家的草稿')
  })

  it('refuses a key that is not a column (400 PGRST204)', async () => {
    const res = await butler1.from('posts').update({ nope: 1 } as never).eq('id', posts.subsidy).select()
    expectPostgrestError(res, 400, 'PGRST204', "Could not find the 'nope' column of 'posts' in the schema cache")
  })

  it('refuses a column the role may not update (403 42501)', async () => {
    const res = await worker1.from('profiles').update({ role: 'admin' }).eq('id', people.worker1).select()
    expectPostgrestError(res, 403, '42501', 'permission denied for table profiles')
  })
})

describe('delete', () => {
  it('deletes the filtered row (204)', async () => {
    const id = await draftOfButler1()
    const { data, error, status } = await butler1.from('posts').delete().eq('id', id)
    expect(error).toBeNull()
    expect(status).toBe(204)
    expect(data).toBeNull()
    expect(await postRow(id)).toBeNull()
  })

  it('returns the deleted rows with .select() (200)', async () => {
    const id = await draftOfButler1({ title: '将被删除' })
    const { data, error, status } = await butler1.from('posts').delete().eq('id', id).select('title')
    expect(error).toBeNull()
    expect(status).toBe(200)
    expect(data).toEqual([{ title: '将被删除' }])
  })

  it("deletes nothing of another author's (RLS hides it)", async () => {
    const id = await draftOfButler1()
    const { data, error } = await butler2.from('posts').delete().eq('id', id).select()
    expect(error).toBeNull()
    expect(data).toEqual([])
    expect(await postRow(id)).not.toBeNull()
  })

  it("removes the caller's own bookmark and leaves another person's", async () => {
    const ins = await service.from('post_bookmarks').insert([
      { user_id: people.worker1, post_id: posts.story },
      { user_id: people.worker2, post_id: posts.story },
    ])
    expect(ins.error).toBeNull()
    const { data, error } = await worker1.from('post_bookmarks').delete().eq('post_id', posts.story).select('user_id')
    expect(error).toBeNull()
    expect(data).toEqual([{ user_id: people.worker1 }])
    const left = await service.from('post_bookmarks').select('user_id').eq('post_id', posts.story)
    expect(left.data).toEqual([{ user_id: people.worker2 }])
  })

  it('ignores a Range header (it pages GET only)', async () => {
    const a = await draftOfButler1({ title: '范围删除' })
    const b = await draftOfButler1({ title: '范围删除' })
    const token = await be.signToken({ sub: people.butler1 })
    const res = await rest(be, `/posts?title=eq.${encodeURIComponent('范围删除')}`, { method: 'DELETE', token, headers: { Range: '0-0' } })
    expect(res.status).toBe(204)
    expect(await postRow(a)).toBeNull()
    expect(await postRow(b)).toBeNull()
  })
})
