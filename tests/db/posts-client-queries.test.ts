/**
 * The posts client's own queries and changes (src/services/posts) against the migrated schema, through
 * supabase-js as the personas: paging by cursor without gaps or repeats, filters, search pages, 收藏,
 * 关注, writing and state changes, reads, 我感兴趣 and leads — and the Chinese message a person meets
 * when the database says no. Taro is stubbed: every fetcher takes the client as an argument.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { getBookmarks, isBookmarked, setBookmarked } from '../../src/services/posts/bookmarks'
import { draftFromForm, emptyEditorForm, blockItem } from '../../src/services/posts/editor-form'
import { getPostForEditing } from '../../src/services/posts/editing-query'
import { getFollowedTags, setFollowing } from '../../src/services/posts/follows'
import { expressProjectInterest, getMyLeads, setLeadStatus } from '../../src/services/posts/leads'
import { getMyPosts, MY_POSTS_PAGE_SIZE, type MyPostsCursor } from '../../src/services/posts/my-posts-query'
import { getPost } from '../../src/services/posts/post-query'
import { changePostState } from '../../src/services/posts/post-state'
import { feedCursorAfter, FEED_PAGE_SIZE, getFeed, type FeedCursor } from '../../src/services/posts/posts-query'
import { recordPostRead } from '../../src/services/posts/record-read'
import { getRevisions } from '../../src/services/posts/revisions-query'
import { savePost } from '../../src/services/posts/save-post'
import { searchPosts, SEARCH_PAGE_SIZE, type SearchCursor } from '../../src/services/posts/search-query'
import { AppError } from '../../src/services/errors'
import { startTestBackend, type TestBackend } from '../support/backend'
import { personas, type Personas } from '../support/personas'

vi.mock('@tarojs/taro', () => ({ default: {}, useDidShow: () => undefined, useDidHide: () => undefined }))

const BREAKFAST_PROJECT = '10000000-0000-4000-8000-000000000004'
const LOAN_POLICY = '10000000-0000-4000-8000-000000000003'
const SHIBEI_POLICY = '10000000-0000-4000-8000-000000000015'

let be: TestBackend
let p: Personas

/** What a promise rejected with, as the AppError the app shows. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  // 45 more city-wide policies by butler1, tagged 贷款, some sharing a publication time (the cursor's id
  // breaks the tie), and 55 whose title says 贴息测试 (search pages of 50).
  await be.db.query(`
    insert into public.posts (kind, title, summary, tags, status, published_at, author_id)
    select 'policy', '分页测试政策' || n, '摘要' || n, '{贷款}', 'published',
           now() - interval '3 hours' - ((n / 3) * interval '1 minute'), $1
      from generate_series(1, 45) n`, [p.ids.butlerX])
  await be.db.query(`
    insert into public.posts (kind, title, summary, tags, status, published_at, author_id)
    select 'notice', '贴息测试通知' || n, '', '{}', 'published', now() - interval '5 hours' - n * interval '1 second', $1
      from generate_series(1, 55) n`, [p.ids.butlerX])
})

afterAll(async () => {
  await be?.close()
})

describe('the feed, a page at a time', () => {
  it('pages through every visible post once, in the feed\'s order, until a short page ends it', async () => {
    const seen: string[] = []
    let after: FeedCursor | null = null
    for (let i = 0; i < 20; i++) {
      const page = await getFeed(p.workerB, { after })
      seen.push(...page.map((post) => post.id))
      after = feedCursorAfter(page)
      if (!after) break
      expect(page).toHaveLength(FEED_PAGE_SIZE)
    }
    // worker2's region (四方区兴隆路街道) and 全市: the database decides, the client pages.
    const visible = await be.db.query(
      `select id from public.posts where status = 'published' and published_at <= now() and archived_at is null
          and region = any (array['全市', '四方区', '四方区兴隆路街道']) order by pinned desc, published_at desc, id desc`,
    )
    expect(visible.rows.length).toBeGreaterThan(2 * FEED_PAGE_SIZE)
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toEqual(visible.rows.map((r) => r.id))
  })

  it('narrows to one kind and one tag', async () => {
    const page = await getFeed(p.workerB, { kind: 'policy', tag: '贷款' })
    expect(page).toHaveLength(FEED_PAGE_SIZE)
    expect(page.every((post) => post.kind === 'policy' && post.tags.includes('贷款'))).toBe(true)
    const stories = await getFeed(p.workerB, { kind: 'story' })
    expect(stories.map((post) => post.kind)).toEqual(stories.map(() => 'story'))
    expect(stories.length).toBeGreaterThan(0)
  })
})

describe('search, 50 at a time', () => {
  it('finds a Chinese substring in titles and pages on without repeats', async () => {
    const first = await searchPosts('贴息测试', null, p.workerB)
    expect(first).toHaveLength(SEARCH_PAGE_SIZE)
    const last = first[first.length - 1]
    const cursor: SearchCursor = { published_at: last.published_at, id: last.id }
    const second = await searchPosts('贴息测试', cursor, p.workerB)
    expect(second).toHaveLength(5)
    const ids = [...first, ...second].map((hit) => hit.id)
    expect(new Set(ids).size).toBe(55)
    expect(first[0]).toMatchObject({ hit_field: 'title', hit_length: 4 })
  })

  it('answers a query that is too long with the database\'s Chinese message', async () => {
    const error = await refusal(searchPosts('长'.repeat(31), null, p.workerB))
    expect(error).toMatchObject({ code: 'invalid', message: '搜索词最多30个字' })
  })
})

describe('收藏 and 关注', () => {
  it('saving twice keeps one bookmark; it is listed in 我的收藏 and can be removed', async () => {
    await setBookmarked(BREAKFAST_PROJECT, true, p.workerA)
    await setBookmarked(BREAKFAST_PROJECT, true, p.workerA)
    expect(await isBookmarked(BREAKFAST_PROJECT, p.workerA)).toBe(true)
    expect(await isBookmarked(BREAKFAST_PROJECT, p.workerB)).toBe(false)
    const list = await getBookmarks(null, p.workerA)
    expect(list.map((post) => post.id)).toEqual([BREAKFAST_PROJECT])
    await setBookmarked(BREAKFAST_PROJECT, false, p.workerA)
    expect(await getBookmarks(null, p.workerA)).toEqual([])
  })

  it('follows and unfollows a tag for the caller only', async () => {
    await setFollowing('税费', true, p.workerA)
    expect(await getFollowedTags(p.workerA)).toEqual(['税费'])
    expect(await getFollowedTags(p.workerB)).toEqual(['补贴', '培训'])
    await setFollowing('税费', false, p.workerA)
    expect(await getFollowedTags(p.workerA)).toEqual([])
    const error = await refusal(setFollowing('有 空格', true, p.workerA))
    expect(error.message).toBe('标签为1到10个字，不含空格、逗号和#')
  })
})

describe('reading one post', () => {
  it('gives a post of another region to nobody there (null), and counts a read once', async () => {
    expect(await getPost(SHIBEI_POLICY, p.workerB)).toBeNull()
    const before = (await getPost(LOAN_POLICY, p.workerA))?.read_count ?? -1
    expect(await recordPostRead(LOAN_POLICY, p.workerA)).toBe(before + 1)
    expect(await recordPostRead(LOAN_POLICY, p.workerA)).toBe(before + 1)
  })

  it('shows revisions to the author and admins only', async () => {
    expect((await getRevisions(LOAN_POLICY, p.butlerY)).length).toBeGreaterThan(0)
    expect((await getRevisions(LOAN_POLICY, p.admin)).length).toBeGreaterThan(0)
    expect(await getRevisions(LOAN_POLICY, p.workerB)).toEqual([])
  })
})

describe('writing', () => {
  it('a butler saves a draft from the editor form, schedules it, pins it and withdraws it', async () => {
    const form = { ...emptyEditorForm('project'), title: '社区洗衣店项目', summary: '投入2万元', investmentMin: '20000', tags: ['项目'] }
    form.blocks = [blockItem({ kind: 'paragraph', text: '详见[街道通知](https://example.cn/a)，**名额有限**' })]
    const saved = await savePost(draftFromForm(form), p.butlerX)
    expect(saved).toMatchObject({ status: 'draft', author_id: p.ids.butlerX, investment_min: 20000, issuer: null })
    expect(saved.body).toBe('详见街道通知，名额有限')

    const at = new Date(Date.now() + 3600_000).toISOString()
    const scheduled = await changePostState({ action: 'publish', postId: saved.id, at }, p.butlerX)
    expect(scheduled.status).toBe('published')
    expect(new Date(scheduled.published_at ?? 0).toISOString()).toBe(at)
    expect(await getPost(saved.id, p.workerB)).toBeNull()
    expect((await changePostState({ action: 'pin', postId: saved.id, pinned: true }, p.butlerX)).pinned).toBe(true)
    const withdrawn = await changePostState({ action: 'unpublish', postId: saved.id }, p.butlerX)
    expect(withdrawn).toMatchObject({ status: 'draft', pinned: false, published_at: null })

    const edited = await savePost(draftFromForm({ ...form, title: '社区洗衣店项目（更新）' }, saved.id), p.butlerX)
    expect(edited.title).toBe('社区洗衣店项目（更新）')
    expect((await getPostForEditing(saved.id, p.butlerX))?.title).toBe('社区洗衣店项目（更新）')
    expect(await getPostForEditing(saved.id, p.butlerY)).toBeNull()
  })

  it('refuses a worker, and another butler\'s change, in Chinese', async () => {
    const worker = await refusal(savePost(draftFromForm({ ...emptyEditorForm(), title: '越权' }), p.workerA))
    expect(worker).toMatchObject({ code: 'forbidden', message: '只有创业管家和管理员可以编写资讯' })
    const other = await refusal(changePostState({ action: 'archive', postId: LOAN_POLICY }, p.butlerX))
    expect(other).toMatchObject({ code: 'forbidden', message: '只能管理自己发布的资讯' })
  })

  it('lists 我的文章 a page at a time, most recently changed first, without repeats', async () => {
    const seen: string[] = []
    let after: MyPostsCursor | null = null
    for (let i = 0; i < 10; i++) {
      const page = await getMyPosts(p.ids.butlerX, after, p.butlerX)
      seen.push(...page.map((post) => post.id))
      if (page.length < MY_POSTS_PAGE_SIZE) break
      const last = page[page.length - 1]
      after = { updated_at: last.updated_at, id: last.id }
    }
    const expected = await be.db.query(`select id from public.posts where author_id = $1 order by updated_at desc, id desc`, [p.ids.butlerX])
    expect(seen).toEqual(expected.rows.map((r) => r.id))
    expect(seen.length).toBeGreaterThan(MY_POSTS_PAGE_SIZE * 3)
  })
})

describe('我感兴趣 and 我的线索', () => {
  it('a worker\'s interest becomes a lead the assigned butler sees and moves on', async () => {
    const lead = await expressProjectInterest(BREAKFAST_PROJECT, '  晚上方便  ', p.workerB)
    expect(lead).toMatchObject({ worker_id: p.ids.workerB, status: 'open', note: '晚上方便' })
    const butler = lead.butler_id === p.ids.butlerX ? p.butlerX : p.butlerY
    const mine = await getMyLeads(butler)
    expect(mine.find((row) => row.id === lead.id)).toMatchObject({ worker_name: '陈秀英', post_title: '社区早餐店：低门槛创业项目推荐' })
    expect((await setLeadStatus(lead.id, 'contacted', butler)).status).toBe('contacted')
    const error = await refusal(setLeadStatus(lead.id, 'closed', p.workerB))
    expect(error.code).toBe('forbidden')
  })

  it('tells staff in Chinese that only workers register interest', async () => {
    const error = await refusal(expressProjectInterest(BREAKFAST_PROJECT, '', p.butlerX))
    expect(error).toMatchObject({ code: 'forbidden', message: '只有职工可以登记项目意向' })
  })
})
