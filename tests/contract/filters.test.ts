/**
 * /rest/v1 horizontal filters: every operator supabase-js emits, not/or/and trees, the raw filter()
 * form, and PostgREST's errors for filters it cannot run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestBackend, type TestBackend } from '../support/backend'
import { clientAs, clientFor, people, serviceClient, type Client } from '../support/clients'
import { expectPostgrestError, posts } from './helpers'

let be: TestBackend
let anon: Client
let butler1: Client
let butler2: Client
/** published_at of the loan post (3 days old), the pivot for range operators. */
let loanPublishedAt: string
const asciiDraft = '20000000-0000-4000-8000-000000000001'
const asciiTitle = 'WeChat Pay (商户), 入驻'

beforeAll(async () => {
  be = await startTestBackend()
  anon = clientFor(be)
  butler1 = await clientAs(be, 'butler1')
  butler2 = await clientAs(be, 'butler2')
  const service = serviceClient(be)
  const { data, error } = await service.from('posts').select('published_at').eq('id', posts.loan).single()
  if (error) throw new Error(error.message)
  loanPublishedAt = data.published_at!
  // A draft only butler2 sees, with Latin letters (for case-insensitive operators) and reserved characters.
  const ins = await service
    .from('posts')
    .insert({ id: asciiDraft, kind: 'notice', title: asciiTitle, author_id: people.butler2 })
  if (ins.error) throw new Error(ins.error.message)
})
afterAll(async () => {
  await be?.close()
})

const ids = (rows: { id: string }[] | null) => (rows ?? []).map((r) => r.id).sort()
const sorted = (...xs: string[]) => [...xs].sort()

describe('comparison operators', () => {
  it('eq keeps rows equal to the value', async () => {
    const { data, error } = await anon.from('posts').select('id').eq('kind', 'policy')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.subsidy, posts.loan))
  })

  it('neq keeps rows different from the value', async () => {
    const { data, error } = await anon.from('posts').select('id').neq('kind', 'policy')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.deadline, posts.breakfast, posts.story, posts.openDay))
  })

  it('gt keeps rows after the value', async () => {
    const { data, error } = await anon.from('posts').select('id').gt('published_at', loanPublishedAt)
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.subsidy, posts.breakfast))
  })

  it('gte keeps rows at or after the value', async () => {
    const { data, error } = await anon.from('posts').select('id').gte('published_at', loanPublishedAt)
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.subsidy, posts.breakfast, posts.loan))
  })

  it('lt keeps rows before the value', async () => {
    const { data, error } = await anon.from('posts').select('id').lt('published_at', loanPublishedAt)
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.story, posts.openDay, posts.deadline))
  })

  it('lte keeps rows at or before the value', async () => {
    const { data, error } = await anon.from('posts').select('id').lte('published_at', loanPublishedAt)
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.loan, posts.story, posts.openDay, posts.deadline))
  })

  it('two filters on one column both apply', async () => {
    const { data, error } = await anon.from('posts').select('id').gte('published_at', loanPublishedAt).lte('published_at', loanPublishedAt)
    expect(error).toBeNull()
    expect(ids(data)).toEqual([posts.loan])
  })

  it('filter(column, "isdistinct", value) is null-safe inequality', async () => {
    const { data, error } = await anon.from('posts').select('id').filter('pinned', 'isdistinct', 'true')
    expect(error).toBeNull()
    expect(data).toHaveLength(5)
  })
})

describe('pattern operators', () => {
  it('like matches a % pattern, case-sensitively', async () => {
    const { data, error } = await anon.from('posts').select('id').like('title', '%补贴%')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.deadline, posts.subsidy))
  })

  it('like accepts * as the wildcard', async () => {
    const { data, error } = await anon.from('posts').select('id').like('title', '*补贴*')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.deadline, posts.subsidy))
  })

  it('like does not fold case', async () => {
    const { data, error } = await butler2.from('posts').select('id').like('title', '%wechat%')
    expect(error).toBeNull()
    expect(data).toEqual([])
  })

  it('ilike folds case', async () => {
    const { data, error } = await butler2.from('posts').select('id').ilike('title', '%wechat pay%')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: asciiDraft }])
  })

  it('match (regular expression) keeps matching rows', async () => {
    const { data, error } = await anon.from('posts').select('id').filter('title', 'match', '^创业')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.deadline, posts.loan))
  })

  it('imatch is the case-insensitive regular expression', async () => {
    const { data, error } = await butler2.from('posts').select('id').filter('title', 'imatch', '^wechat')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: asciiDraft }])
  })
})

describe('in and is', () => {
  it('in keeps rows whose value is listed', async () => {
    const { data, error } = await anon.from('posts').select('id').in('kind', ['story', 'project'])
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.breakfast, posts.story))
  })

  it('in quotes values holding commas and parentheses', async () => {
    const { data, error } = await butler2.from('posts').select('id').in('title', [asciiTitle, '不存在'])
    expect(error).toBeNull()
    expect(data).toEqual([{ id: asciiDraft }])
  })

  it('in with an empty list matches nothing', async () => {
    const { data, error } = await anon.from('posts').select('id').in('kind', [])
    expect(error).toBeNull()
    expect(data).toEqual([])
  })

  it('is null keeps rows where the column is null', async () => {
    const { data, error } = await butler1.from('posts').select('id').is('published_at', null)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.draft }])
  })

  it('is true keeps rows where the column is true', async () => {
    const { data, error } = await anon.from('posts').select('id').is('pinned', true)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.deadline }])
  })

  it('is false keeps rows where the column is false', async () => {
    const { data, error } = await anon.from('posts').select('id').is('pinned', false)
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.subsidy, posts.loan, posts.breakfast, posts.story, posts.openDay))
  })
})

describe('array operators on tags', () => {
  it('contains keeps rows whose tags include every value', async () => {
    const { data, error } = await anon.from('posts').select('id').contains('tags', ['补贴', '申报'])
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.deadline }])
  })

  it('containedBy keeps rows whose tags are all among the values', async () => {
    const { data, error } = await anon.from('posts').select('id').containedBy('tags', ['补贴', '申报', '贷款'])
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.deadline, posts.subsidy, posts.loan))
  })

  it('overlaps keeps rows sharing at least one tag', async () => {
    const { data, error } = await anon.from('posts').select('id').overlaps('tags', ['贷款', '培训'])
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.loan, posts.openDay))
  })
})

describe('full-text search', () => {
  it('textSearch (plain, simple config) finds a word of the body', async () => {
    const { data, error } = await anon.from('posts').select('id').textSearch('body', '申请条件', { type: 'plain', config: 'simple' })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.subsidy }])
  })

  it('textSearch (websearch) excludes a -word', async () => {
    const { data, error } = await butler2
      .from('posts')
      .select('id')
      .textSearch('title', 'wechat -alipay', { type: 'websearch', config: 'simple' })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: asciiDraft }])
  })
})

describe('match, not, or, and, filter()', () => {
  it('match() requires every column to equal its value', async () => {
    const { data, error } = await anon.from('posts').select('id').match({ kind: 'policy', author_id: people.butler2 })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.loan }])
  })

  it('not() negates an operator', async () => {
    const { data, error } = await anon.from('posts').select('id').not('kind', 'eq', 'policy')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.deadline, posts.breakfast, posts.story, posts.openDay))
  })

  it('not() negates an array operator', async () => {
    const { data, error } = await anon.from('posts').select('id').not('tags', 'cs', '{补贴}')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.loan, posts.breakfast, posts.story, posts.openDay))
  })

  it('not is null keeps rows with a value', async () => {
    const { data, error } = await butler1.from('posts').select('id').not('published_at', 'is', null).eq('region', '全市')
    expect(error).toBeNull()
    expect(data).toHaveLength(6)
  })

  it('or() keeps rows matching any condition', async () => {
    const { data, error } = await anon.from('posts').select('id').or('kind.eq.story,pinned.is.true')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.story, posts.deadline))
  })

  it('or() with a nested and() combines both', async () => {
    const { data, error } = await anon
      .from('posts')
      .select('id')
      .or(`kind.eq.story,and(kind.eq.policy,author_id.eq.${people.butler2})`)
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.story, posts.loan))
  })

  it('or() holding not. and in. conditions', async () => {
    const { data, error } = await anon.from('posts').select('id').or('kind.in.(story,project),tags.not.cs.{培训}').eq('kind', 'notice')
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.deadline }])
  })

  it('or() is and-ed with the other filters', async () => {
    const { data, error } = await anon.from('posts').select('id').or('kind.eq.story,kind.eq.policy').eq('author_id', people.butler1)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: posts.subsidy }])
  })

  it('filter() passes a raw operator and value', async () => {
    const { data, error } = await anon.from('posts').select('id').filter('kind', 'in', '(story,project)')
    expect(error).toBeNull()
    expect(ids(data)).toEqual(sorted(posts.breakfast, posts.story))
  })
})

describe('filter errors', () => {
  it('refuses an unknown operator (400 PGRST100)', async () => {
    const res = await anon.from('posts').select('id').filter('kind', 'nope', 'x')
    expectPostgrestError(res, 400, 'PGRST100', /^"failed to parse filter \(nope\.x\)"/)
  })

  it('refuses in without a parenthesised list (400 PGRST100)', async () => {
    const res = await anon.from('posts').select('id').filter('kind', 'in', 'story')
    expectPostgrestError(res, 400, 'PGRST100', /failed to parse filter/)
  })

  it('refuses is with a value other than null, true, false or unknown (400 PGRST100)', async () => {
    const res = await anon.from('posts').select('id').filter('pinned', 'is', 'yes')
    expectPostgrestError(res, 400, 'PGRST100', /failed to parse filter/)
  })

  it('refuses a logic tree it cannot parse (400 PGRST100)', async () => {
    const res = await anon.from('posts').select('id').or('kind.eq.story,')
    expectPostgrestError(res, 400, 'PGRST100', /failed to parse logic tree/)
  })

  it('refuses a filter on an unknown column (400 42703)', async () => {
    const res = await anon.from('posts').select('id').eq('nope' as 'id', 'x')
    expectPostgrestError(res, 400, '42703', 'column posts.nope does not exist')
  })

  it('refuses a value of the wrong type (400 22P02)', async () => {
    const res = await anon.from('posts').select('id').eq('id', 'not-a-uuid')
    expectPostgrestError(res, 400, '22P02', 'invalid input syntax for type uuid: "not-a-uuid"')
  })

  it('refuses a value outside an enum (400 22P02)', async () => {
    const res = await anon.from('posts').select('id').eq('kind', 'poem' as 'policy')
    expectPostgrestError(res, 400, '22P02', 'invalid input value for enum post_kind: "poem"')
  })
})
