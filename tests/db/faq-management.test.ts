/**
 * FAQ management by a group's butlers (管家工作台 → 常见问题): update_group_faq, mark_faq_rechecked and
 * delete_group_faq, as an access matrix (every persona) and as behaviour: what an edit keeps and clears,
 * which policy may be linked, what a policy's revision does to the entries that link it, and what a
 * malicious member would try. Read the matrix's cells as in questions-access.test.ts.
 *
 * On top of the seed (group X 兴隆路: butlerX and butlerY butlers, workerB member, xFaq linking the
 * 一次性创业补贴 policy; group Y 辽源路: butlerY), workerA joins Y and Y has an entry of its own (yFaq).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DENY, DENY_ANON, describeMatrix, err, OK, type ActionProbe, type MatrixRow } from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { groups, personas, type Personas } from '../support/personas'
import { failure, one } from '../support/question-desk'

const ids = {
  xFaq: '42000000-0000-4000-8000-000000000001',
  yFaq: '42000000-0000-4000-8000-0000000000b1',
  X: groups.X,
  Y: groups.Y,
} as const

const posts = {
  /** 一次性创业补贴 (published policy, 全市): what xFaq links. */
  subsidy: '10000000-0000-4000-8000-000000000002',
  /** 创业担保贷款贴息 (published policy, 全市). */
  loan: '10000000-0000-4000-8000-000000000003',
  /** A published project, not a policy. */
  project: '10000000-0000-4000-8000-000000000004',
  /** A draft policy of butler1. */
  draft: '10000000-0000-4000-8000-000000000007',
} as const

const FIXTURES = `
  insert into public.group_members (group_id, user_id, role) values ('${groups.Y}', '${people.worker1}', 'member');
  insert into public.group_faqs (id, group_id, question, answer, policy_post_id, needs_recheck)
    values ('${ids.yFaq}', '${groups.Y}', '辽源路孵化基地怎么入驻？', '向张管家报名，每月审核一次。', '${posts.loan}', true);
`

const NOT_FOUND = err(500, 'P0002', '找不到这条常见问题')
const BUTLERS_ONLY = (action: string) => err(403, '42501', `只有本群的创业管家可以${action}`)

const probes = {
  'rpc: update_group_faq(xFaq)': {
    object: 'function update_group_faq', action: 'call',
    run: (c) => c.rpc('update_group_faq', { faq_id: ids.xFaq, question: '一次性创业补贴要哪些材料？', answer: '身份证和营业执照。', policy_post_id: posts.subsidy }),
  },
  'rpc: mark_faq_rechecked(yFaq)': {
    object: 'function mark_faq_rechecked', action: 'call',
    run: (c) => c.rpc('mark_faq_rechecked', { faq_id: ids.yFaq }),
  },
  'rpc: delete_group_faq(xFaq)': {
    object: 'function delete_group_faq', action: 'call',
    run: (c) => c.rpc('delete_group_faq', { faq_id: ids.xFaq }),
  },
} satisfies Record<string, ActionProbe>

type ProbeName = keyof typeof probes

// The service role acts for the system, never as a person: the private steps are not granted to it.
// prettier-ignore
const matrix: MatrixRow<ProbeName>[] = [
  // probe                         anon       workerA (Y member)        workerB (X member)           butlerX (X)  butlerY (X, Y)  admin  service
  ['rpc: update_group_faq(xFaq)',  DENY_ANON, NOT_FOUND,                BUTLERS_ONLY('编辑常见问题'), OK,          OK,             OK,    DENY],
  ['rpc: mark_faq_rechecked(yFaq)', DENY_ANON, BUTLERS_ONLY('复核常见问题'), NOT_FOUND,             NOT_FOUND,   OK,             OK,    DENY],
  ['rpc: delete_group_faq(xFaq)',  DENY_ANON, NOT_FOUND,                BUTLERS_ONLY('删除常见问题'), OK,          OK,             OK,    DENY],
]

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  await be.db.exec(FIXTURES)
  data = await snapshotData(be)
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

async function faq(id: string) {
  return one<{ question: string; answer: string; policy_post_id: string | null; needs_recheck: boolean; updated_by: string | null }>(
    be, `select question, answer, policy_post_id, needs_recheck, updated_by from public.group_faqs where id = $1`, [id])
}

/** An admin revises a published post through save_post, as the editor does, changing only `changes`. */
async function revisePost(postId: string, changes: Record<string, unknown>) {
  const current = await p.admin.from('posts')
    .select('kind, title, summary, body_doc, tags, region, cover_path, issuer, doc_number, effective_from, effective_to, investment_min, investment_max, skills, contact')
    .eq('id', postId).single()
  expect(current.error).toBeNull()
  const saved = await p.admin.rpc('save_post', { post: { id: postId, ...current.data, ...changes } as never })
  expect(saved.error).toBeNull()
}

describe('FAQ management access matrix', () => {
  it('covers every FAQ management function', () => {
    expect(new Set(matrix.map(([name]) => name)).size).toBe(Object.keys(probes).length)
  })

  describeMatrix(probes, matrix, () => ({ p, data }))
})

describe('editing an entry', () => {
  it('a butler of the group rewrites the question and answer and links another published policy; the entry says who', async () => {
    const res = await p.butlerY.rpc('update_group_faq', {
      faq_id: ids.xFaq, question: '  贷款贴息怎么申请？ ', answer: '到经办银行申请，街道出具推荐函。', policy_post_id: posts.loan,
    })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: ids.xFaq, question: '贷款贴息怎么申请？', answer: '到经办银行申请，街道出具推荐函。', policy_post_id: posts.loan })
    expect(await faq(ids.xFaq)).toMatchObject({ updated_by: people.butler2 })
  })

  it('an entry can drop its linked policy', async () => {
    const res = await p.butlerX.rpc('update_group_faq', { faq_id: ids.xFaq, question: '材料？', answer: '身份证。', policy_post_id: null as never })
    expect(res.error).toBeNull()
    expect((await faq(ids.xFaq)).policy_post_id).toBeNull()
  })

  it('the new question is what suggestions match while a member types', async () => {
    await p.butlerX.rpc('update_group_faq', { faq_id: ids.xFaq, question: '孵化基地租金怎么算？', answer: '前半年免租。', policy_post_id: posts.subsidy })
    const s = await p.workerB.rpc('suggest_faq', { group_id: ids.X, q: '租金' })
    expect(s.data!.map((r) => r.id)).toContain(ids.xFaq)
  })

  it('only a published policy may be linked: not a draft, not a project, not a missing post', async () => {
    for (const post of [posts.draft, posts.project, '10000000-0000-4000-8000-0000000000ff']) {
      const res = await p.butlerX.rpc('update_group_faq', { faq_id: ids.xFaq, question: '材料？', answer: '身份证。', policy_post_id: post })
      expect({ ...failure(res), hint: (res.error as { hint?: string } | null)?.hint }).toEqual({
        status: 400, code: '22023', message: '只能关联已发布的政策', hint: 'policy_post_id',
      })
    }
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('an empty question or answer, or one too long, is refused in Chinese with the field named', async () => {
    const cases = [
      { question: '  ', answer: '有', message: '问题应为1到200个字', hint: 'question' },
      { question: '问'.repeat(201), answer: '有', message: '问题应为1到200个字', hint: 'question' },
      { question: '问', answer: '', message: '解答应为1到4000个字', hint: 'answer' },
      { question: '问', answer: '答'.repeat(4001), message: '解答应为1到4000个字', hint: 'answer' },
    ]
    for (const c of cases) {
      const res = await p.butlerX.rpc('update_group_faq', { faq_id: ids.xFaq, question: c.question, answer: c.answer, policy_post_id: posts.subsidy })
      expect({ ...failure(res), hint: (res.error as { hint?: string } | null)?.hint }).toEqual({ status: 400, code: '22023', message: c.message, hint: c.hint })
    }
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})

describe('需复核: a revised policy and 已复核', () => {
  it('an admin revising the linked policy flags the entry; 已复核 by a butler of the group clears it', async () => {
    expect((await faq(ids.xFaq)).needs_recheck).toBe(false)
    await revisePost(posts.subsidy, { summary: '正常经营3个月以上即可申请一次性创业补贴。' })
    expect((await faq(ids.xFaq)).needs_recheck).toBe(true)
    const res = await p.butlerX.rpc('mark_faq_rechecked', { faq_id: ids.xFaq })
    expect(res.error).toBeNull()
    expect(res.data).toMatchObject({ id: ids.xFaq, needs_recheck: false })
    // Again: nothing more to clear, and still an answer.
    expect((await p.butlerX.rpc('mark_faq_rechecked', { faq_id: ids.xFaq })).data).toMatchObject({ needs_recheck: false })
  })

  it('a revision of only the policy\'s dates or document number (更新于) flags the entry as well', async () => {
    await revisePost(posts.subsidy, { doc_number: '青人社规〔2026〕9号', effective_to: '2027-12-31' })
    const revised = await one<{ revised_at: string | null }>(be, `select revised_at from public.posts where id = $1`, [posts.subsidy])
    expect(revised.revised_at).not.toBeNull()
    expect((await faq(ids.xFaq)).needs_recheck).toBe(true)
  })

  it('a flagged entry lists its policy\'s 更新于 for the butler', async () => {
    const listed = await p.butlerY.from('group_faqs')
      .select('id, needs_recheck, policy:posts!group_faqs_policy_post_id_fkey(title, revised_at)')
      .eq('needs_recheck', true)
    expect(listed.error).toBeNull()
    expect(listed.data).toEqual([
      { id: ids.yFaq, needs_recheck: true, policy: { title: '创业担保贷款贴息政策解读', revised_at: expect.any(String) } },
    ])
  })

  it('a member who is not a butler cannot clear the flag, directly or through the RPC', async () => {
    const rpc = await p.workerA.rpc('mark_faq_rechecked', { faq_id: ids.yFaq })
    expect(failure(rpc)).toEqual({ status: 403, code: '42501', message: '只有本群的创业管家可以复核常见问题' })
    const direct = await p.workerA.from('group_faqs').update({ needs_recheck: false }, { count: 'exact' }).eq('id', ids.yFaq)
    expect({ error: direct.error, count: direct.count }).toEqual({ error: null, count: 0 })
    expect((await faq(ids.yFaq)).needs_recheck).toBe(true)
  })
})

describe('removing an entry', () => {
  it('a butler removes an entry; its answered question may be turned into an entry again', async () => {
    const res = await p.butlerX.rpc('delete_group_faq', { faq_id: ids.xFaq })
    expect(res.error).toBeNull()
    expect(await one(be, `select count(*)::int as n from public.group_faqs where id = $1`, [ids.xFaq])).toEqual({ n: 0 })
    const again = await p.butlerX.rpc('create_faq_from_question', { question_id: '40000000-0000-4000-8000-000000000001' })
    expect(again.error).toBeNull()
  })

  it('a removed entry is not found the second time', async () => {
    await p.butlerX.rpc('delete_group_faq', { faq_id: ids.xFaq })
    expect(failure(await p.butlerX.rpc('delete_group_faq', { faq_id: ids.xFaq }))).toEqual({ status: 500, code: 'P0002', message: '找不到这条常见问题' })
  })
})

describe('a malicious member', () => {
  it('cannot edit, clear or remove another group\'s entry: for them it does not exist', async () => {
    expect(failure(await p.butlerX.rpc('update_group_faq', { faq_id: ids.yFaq, question: '改', answer: '改', policy_post_id: posts.loan })))
      .toEqual({ status: 500, code: 'P0002', message: '找不到这条常见问题' })
    expect(failure(await p.workerB.rpc('mark_faq_rechecked', { faq_id: ids.yFaq }))).toEqual({ status: 500, code: 'P0002', message: '找不到这条常见问题' })
    expect(failure(await p.workerB.rpc('delete_group_faq', { faq_id: ids.yFaq }))).toEqual({ status: 500, code: 'P0002', message: '找不到这条常见问题' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('cannot link a draft post, even through a direct update of the table', async () => {
    const rpc = await p.butlerX.rpc('update_group_faq', { faq_id: ids.xFaq, question: '租金补贴？', answer: '见草稿。', policy_post_id: posts.draft })
    expect(failure(rpc)).toEqual({ status: 400, code: '22023', message: '只能关联已发布的政策' })
    const direct = await p.butlerX.from('group_faqs').update({ policy_post_id: posts.draft }).eq('id', ids.xFaq)
    expect(failure(direct)).toEqual({ status: 400, code: '22023', message: '只能关联已发布的资讯' })
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it('cannot send a huge text or a malformed id; nothing is written', async () => {
    const huge = await p.butlerX.rpc('update_group_faq', { faq_id: ids.xFaq, question: '问', answer: '答'.repeat(100_000), policy_post_id: posts.subsidy })
    expect(failure(huge)).toEqual({ status: 400, code: '22023', message: '解答应为1到4000个字' })
    const bad = await p.workerB.rpc('delete_group_faq', { faq_id: 'not-a-uuid' })
    expect(bad.error?.code).toBe('22P02')
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})
