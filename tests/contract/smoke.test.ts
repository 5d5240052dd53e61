import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor } from '../support/clients'

let be: TestBackend
beforeAll(async () => {
  be = await startTestBackend()
})
afterAll(async () => {
  await be?.close()
})

describe('smoke', () => {
  it('anonymous reads the published feed with authors, pinned first', async () => {
    const { data, error } = await clientFor(be)
      .from('posts')
      .select('title, pinned, author:profiles!author_id(display_name)')
      .order('pinned', { ascending: false })
      .order('published_at', { ascending: false })
    expect(error).toBeNull()
    expect(data).toHaveLength(6)
    expect(data![0]).toMatchObject({ pinned: true, author: { display_name: '王主任' } })
  })

  it('an author sees their own draft', async () => {
    const c = await clientAs(be, 'butler1')
    const { data, error } = await c.from('posts').select('title').eq('status', 'draft')
    expect(error).toBeNull()
    expect(data).toEqual([{ title: '（草稿）场地租金补贴办法征求意见' }])
  })
})
