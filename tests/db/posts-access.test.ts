/**
 * The access matrix of what issue 11 added: post_revisions, tag_follows, project_leads, the private
 * post_reads and post_announcements, the state columns of posts, and every posts RPC — each persona ×
 * each action, through supabase-js against the local backend. Cells read as in access-matrix.test.ts:
 *
 *   sees(a, b)  select succeeds and shows exactly these rows (by seed handle or post name)
 *   ONE / NONE  the write changes one row / is allowed but changes nothing (RLS hides the row)
 *   OK          the function call succeeds
 *   DENY_ANON   401 42501 permission denied for <object> (no grant to anon)
 *   DENY        403 42501 permission denied for <object> (no grant, table, column or function)
 *   err(…)      that exact status, SQLSTATE and message
 *
 * Every cell that is refused or changes nothing also checks that no row anywhere changed; after every
 * test the data goes back to the fixtures.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DENY, DENY_ANON, describeMatrix, err, labeller, NONE, NOT_NULL, OK, ONE, PRIVATE_SCHEMA, sees, untyped, type ActionProbe, type MatrixRow,
} from '../support/access-matrix'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people } from '../support/clients'
import { snapshotData, type DataSnapshot } from '../support/db-state'
import { personas, type Personas } from '../support/personas'

const posts = {
  deadline: '10000000-0000-4000-8000-000000000001',
  subsidy: '10000000-0000-4000-8000-000000000002', // butler1, 全市
  loan: '10000000-0000-4000-8000-000000000003', // butler2, 全市, revised in the seed
  breakfast: '10000000-0000-4000-8000-000000000004', // butler1, 全市, project
  story: '10000000-0000-4000-8000-000000000005',
  openDay: '10000000-0000-4000-8000-000000000006',
  draft: '10000000-0000-4000-8000-000000000007', // butler1, draft
  rentSifang: '10000000-0000-4000-8000-000000000011', // butler1, 四方区
  taxSifang: '10000000-0000-4000-8000-000000000012',
  trainingXinglong: '10000000-0000-4000-8000-000000000013',
  projectXinglong: '10000000-0000-4000-8000-000000000014', // butler1, 四方区兴隆路街道, project
  incubatorShibei: '10000000-0000-4000-8000-000000000015', // admin, 市北区
  storySifang: '10000000-0000-4000-8000-000000000016',
} as const

// The seed has: the loan policy's revision (by butler2), worker2 following 补贴 and 培训, bookmarks of
// worker2, worker2's lead on the 家政 project assigned to butler2. Added here: worker1 follows 贷款.
const FIXTURES = `
  insert into public.tag_follows (user_id, tag) values ('${people.worker1}', '贷款');
  insert into public.profile_contacts (user_id, phone) values ('${people.worker2}', '13800000012');
`

const label = labeller(people, posts)

const STAFF_WRITE = err(403, '42501', '只有创业管家和管理员可以编写资讯')
const STAFF_MANAGE = err(403, '42501', '只有创业管家和管理员可以管理资讯')
const OWN_ONLY = err(403, '42501', '只能管理自己发布的资讯')
const NO_POST = err(500, 'P0002', '找不到这篇资讯')
const WORKERS_ONLY = err(403, '42501', '只有职工可以登记项目意向')
const NO_LEAD = err(500, 'P0002', '找不到这条意向登记')
/** The service role may call the public wrappers, not the private function behind them: it acts for no person. */
const SERVICE_NO_PERSON = (fn: string) => err(403, '42501', `permission denied for function ${fn}`)

const seededLead = async () => String((await be.db.query(`select id from public.project_leads where worker_id = $1`, [people.worker2])).rows[0].id)

const probes: Record<string, ActionProbe> = {
  // posts: state columns and the body ----------------------------------------------------------------
  "posts: update butler1's published post (pinned)": {
    object: 'table posts', action: 'update',
    run: (c) => c.from('posts').update({ pinned: true } as never, { count: 'exact' }).eq('id', posts.subsidy),
  },
  "posts: update butler1's published post (status to draft)": {
    object: 'table posts', action: 'update',
    run: (c) => c.from('posts').update({ status: 'draft' } as never, { count: 'exact' }).eq('id', posts.subsidy),
  },
  "posts: update butler1's published post (read_count)": {
    object: 'table posts', action: 'update',
    run: (c) => c.from('posts').update({ read_count: 100000 } as never, { count: 'exact' }).eq('id', posts.subsidy),
  },
  "posts: update butler1's draft body_doc (a script goes)": {
    object: 'table posts', action: 'update',
    run: (c) => c.from('posts').update({ body_doc: [{ name: 'p', children: [{ type: 'text', text: '正文' }] }, { name: 'script', children: [{ type: 'text', text: 'x()' }] }] }, { count: 'exact' }).eq('id', posts.draft),
  },

  // post_revisions --------------------------------------------------------------------------------------
  'post_revisions: select': {
    object: 'table post_revisions', action: 'select', rowLabel: (r) => label(r.post_id),
    run: (c) => c.from('post_revisions').select('post_id, editor_id, changes'),
  },
  'post_revisions: insert a revision of the subsidy policy': {
    object: 'table post_revisions', action: 'insert',
    run: (c) => c.from('post_revisions').insert({ post_id: posts.subsidy, changes: { title: { from: 'a', to: 'b' } } }, { count: 'exact' }),
  },
  "post_revisions: update the loan policy's revision": {
    object: 'table post_revisions', action: 'update',
    run: (c) => c.from('post_revisions').update({ changes: {} }, { count: 'exact' }).eq('post_id', posts.loan),
  },
  "post_revisions: delete the loan policy's revision": {
    object: 'table post_revisions', action: 'delete',
    run: (c) => c.from('post_revisions').delete({ count: 'exact' }).eq('post_id', posts.loan),
  },

  // tag_follows -----------------------------------------------------------------------------------------
  'tag_follows: select': {
    object: 'table tag_follows', action: 'select', rowLabel: (r) => label(r.user_id),
    run: (c) => c.from('tag_follows').select('user_id, tag'),
  },
  'tag_follows: insert a follow for oneself': {
    object: 'table tag_follows', action: 'insert',
    run: (c) => c.from('tag_follows').insert({ tag: '税费' }, { count: 'exact' }),
  },
  "tag_follows: update worker1's follow": {
    object: 'table tag_follows', action: 'update',
    run: (c) => c.from('tag_follows').update({ tag: '场地' }, { count: 'exact' }).eq('user_id', people.worker1),
  },
  "tag_follows: delete worker1's follow": {
    object: 'table tag_follows', action: 'delete',
    run: (c) => c.from('tag_follows').delete({ count: 'exact' }).eq('user_id', people.worker1),
  },

  // project_leads ---------------------------------------------------------------------------------------
  'project_leads: select': {
    object: 'table project_leads', action: 'select', rowLabel: (r) => label(r.worker_id),
    run: (c) => c.from('project_leads').select('worker_id, butler_id, status'),
  },
  'project_leads: insert a lead on the breakfast project': {
    object: 'table project_leads', action: 'insert',
    run: (c) => c.from('project_leads').insert({ post_id: posts.breakfast } as never, { count: 'exact' }),
  },
  "project_leads: update worker2's lead (status closed)": {
    object: 'table project_leads', action: 'update',
    run: (c) => c.from('project_leads').update({ status: 'closed' }, { count: 'exact' }).eq('worker_id', people.worker2),
  },
  "project_leads: delete worker2's lead": {
    object: 'table project_leads', action: 'delete',
    run: (c) => c.from('project_leads').delete({ count: 'exact' }).eq('worker_id', people.worker2),
  },

  // the private tables ----------------------------------------------------------------------------------
  'private.post_reads: select': {
    object: 'table post_reads', action: 'select',
    run: (c) => untyped(c).schema('private').from('post_reads').select('*'),
  },
  'private.post_announcements: select': {
    object: 'table post_announcements', action: 'select',
    run: (c) => untyped(c).schema('private').from('post_announcements').select('*'),
  },
  'rpc: private.lead_owner_for(worker2)': {
    object: 'function lead_owner_for', action: 'call',
    run: (c) => untyped(c).schema('private').rpc('lead_owner_for', { person: people.worker2 }),
  },

  // RPCs ------------------------------------------------------------------------------------------------
  'rpc: save_post (a new draft)': {
    object: 'function save_post', action: 'call',
    run: (c) => c.rpc('save_post', { post: { kind: 'notice', title: '矩阵测试草稿' } }),
  },
  "rpc: save_post (butler1's published subsidy policy)": {
    object: 'function save_post', action: 'call',
    run: (c) => c.rpc('save_post', { post: { id: posts.subsidy, summary: '矩阵测试改摘要' } }),
  },
  "rpc: publish_post (butler1's draft)": {
    object: 'function publish_post', action: 'call',
    run: (c) => c.rpc('publish_post', { post_id: posts.draft }),
  },
  "rpc: unpublish_post (butler1's subsidy policy)": {
    object: 'function unpublish_post', action: 'call',
    run: (c) => c.rpc('unpublish_post', { post_id: posts.subsidy }),
  },
  "rpc: archive_post (butler1's subsidy policy)": {
    object: 'function archive_post', action: 'call',
    run: (c) => c.rpc('archive_post', { post_id: posts.subsidy }),
  },
  "rpc: set_post_pinned (butler1's subsidy policy)": {
    object: 'function set_post_pinned', action: 'call',
    run: (c) => c.rpc('set_post_pinned', { post_id: posts.subsidy, pinned: true }),
  },
  'rpc: search_post_hits(创业)': {
    object: 'function search_post_hits', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('search_post_hits', { q: '创业' }),
  },
  'rpc: my_bookmarks': {
    object: 'function my_bookmarks', action: 'call', rowLabel: (r) => label(r.id),
    run: (c) => c.rpc('my_bookmarks'),
  },
  'rpc: record_post_read (subsidy policy)': {
    object: 'function record_post_read', action: 'call',
    run: (c) => c.rpc('record_post_read', { post_id: posts.subsidy }),
  },
  'rpc: record_post_read (四方区 rent policy)': {
    object: 'function record_post_read', action: 'call',
    run: (c) => c.rpc('record_post_read', { post_id: posts.rentSifang }),
  },
  'rpc: follow_tag(税费)': {
    object: 'function follow_tag', action: 'call',
    run: (c) => c.rpc('follow_tag', { tag: '税费' }),
  },
  'rpc: unfollow_tag(补贴)': {
    object: 'function unfollow_tag', action: 'call',
    run: (c) => c.rpc('unfollow_tag', { tag: '补贴' }),
  },
  'rpc: express_project_interest (breakfast project)': {
    object: 'function express_project_interest', action: 'call',
    run: (c) => c.rpc('express_project_interest', { post_id: posts.breakfast }),
  },
  'rpc: my_project_leads': {
    object: 'function my_project_leads', action: 'call', rowLabel: (r) => `${label(r.worker_id)}${r.worker_phone ? ' with phone' : ''}`,
    run: (c) => c.rpc('my_project_leads'),
  },
  "rpc: set_project_lead_status (worker2's lead, contacted)": {
    object: 'function set_project_lead_status', action: 'call',
    run: async (c) => c.rpc('set_project_lead_status', { lead_id: await seededLead(), status: 'contacted' }),
  },
  'rpc: release_scheduled_posts': {
    object: 'function release_scheduled_posts', action: 'call',
    run: (c) => c.rpc('release_scheduled_posts'),
  },
}

const cityWide = ['deadline', 'subsidy', 'loan', 'breakfast', 'story', 'openDay']
const sifang = ['rentSifang', 'taxSifang', 'storySifang', 'projectXinglong', 'trainingXinglong']

type Row = MatrixRow<keyof typeof probes>

// prettier-ignore
const matrix: Row[] = [
  //                                                                anon         workerA (worker1)  workerB (worker2)  butlerX (butler1)  butlerY (butler2)  admin        service
  ["posts: update butler1's published post (pinned)",               DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],
  ["posts: update butler1's published post (status to draft)",      DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],
  ["posts: update butler1's published post (read_count)",           DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],
  ["posts: update butler1's draft body_doc (a script goes)",        DENY_ANON,   NONE,              NONE,              ONE,               NONE,              NONE,        ONE],

  ['post_revisions: select',                                        DENY_ANON,   sees(),            sees(),            sees(),            sees('loan'),      sees('loan'), sees('loan')],
  ['post_revisions: insert a revision of the subsidy policy',       DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],
  ["post_revisions: update the loan policy's revision",             DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        DENY],
  ["post_revisions: delete the loan policy's revision",             DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        DENY],

  ['tag_follows: select',                                           DENY_ANON,   sees('worker1'),   sees('worker2'),   sees(),            sees(),            sees(),      sees('worker1', 'worker2')],
  ['tag_follows: insert a follow for oneself',                      DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        NOT_NULL('user_id', 'tag_follows')],
  ["tag_follows: update worker1's follow",                          DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],
  ["tag_follows: delete worker1's follow",                          DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],

  ['project_leads: select',                                         DENY_ANON,   sees(),            sees('worker2'),   sees(),            sees('worker2'),   sees('worker2'), sees('worker2')],
  ['project_leads: insert a lead on the breakfast project',         DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        NOT_NULL('worker_id', 'project_leads')],
  ["project_leads: update worker2's lead (status closed)",          DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],
  ["project_leads: delete worker2's lead",                          DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        ONE],

  ['private.post_reads: select',                                    PRIVATE_SCHEMA, PRIVATE_SCHEMA, PRIVATE_SCHEMA,    PRIVATE_SCHEMA,    PRIVATE_SCHEMA,    PRIVATE_SCHEMA, PRIVATE_SCHEMA],
  ['private.post_announcements: select',                            PRIVATE_SCHEMA, PRIVATE_SCHEMA, PRIVATE_SCHEMA,    PRIVATE_SCHEMA,    PRIVATE_SCHEMA,    PRIVATE_SCHEMA, PRIVATE_SCHEMA],
  ['rpc: private.lead_owner_for(worker2)',                          PRIVATE_SCHEMA, PRIVATE_SCHEMA, PRIVATE_SCHEMA,    PRIVATE_SCHEMA,    PRIVATE_SCHEMA,    PRIVATE_SCHEMA, PRIVATE_SCHEMA],

  ['rpc: save_post (a new draft)',                                  DENY_ANON,   STAFF_WRITE,       STAFF_WRITE,       OK,                OK,                OK,          DENY],
  ["rpc: save_post (butler1's published subsidy policy)",           DENY_ANON,   STAFF_WRITE,       STAFF_WRITE,       OK,                err(403, '42501', '只能修改自己发布的资讯'), OK, DENY],
  ["rpc: publish_post (butler1's draft)",                           DENY_ANON,   STAFF_MANAGE,      STAFF_MANAGE,      OK,                NO_POST,           OK,          SERVICE_NO_PERSON('change_post_state')],
  ["rpc: unpublish_post (butler1's subsidy policy)",                DENY_ANON,   STAFF_MANAGE,      STAFF_MANAGE,      OK,                OWN_ONLY,          OK,          SERVICE_NO_PERSON('change_post_state')],
  ["rpc: archive_post (butler1's subsidy policy)",                  DENY_ANON,   STAFF_MANAGE,      STAFF_MANAGE,      OK,                OWN_ONLY,          OK,          SERVICE_NO_PERSON('change_post_state')],
  ["rpc: set_post_pinned (butler1's subsidy policy)",               DENY_ANON,   STAFF_MANAGE,      STAFF_MANAGE,      OK,                OWN_ONLY,          OK,          SERVICE_NO_PERSON('change_post_state')],
  ['rpc: search_post_hits(创业)',                                   sees(...cityWide), sees(...cityWide), sees(...cityWide, ...sifang), sees(...cityWide, ...sifang, 'incubatorShibei'), sees(...cityWide, ...sifang, 'incubatorShibei'), sees(...cityWide, ...sifang, 'incubatorShibei'), sees(...cityWide, ...sifang, 'incubatorShibei')],
  ['rpc: my_bookmarks',                                             DENY_ANON,   sees(),            sees('rentSifang', 'trainingXinglong'), sees(),       sees(),            sees(),      sees()],
  ['rpc: record_post_read (subsidy policy)',                        DENY_ANON,   OK,                OK,                OK,                OK,                OK,          DENY],
  ['rpc: record_post_read (四方区 rent policy)',                     DENY_ANON,   NO_POST,           OK,                OK,                OK,                OK,          DENY],
  ['rpc: follow_tag(税费)',                                          DENY_ANON,   OK,                OK,                OK,                OK,                OK,          DENY],
  ['rpc: unfollow_tag(补贴)',                                        DENY_ANON,   OK,                OK,                OK,                OK,                OK,          SERVICE_NO_PERSON('follow_tag')],
  ['rpc: express_project_interest (breakfast project)',             DENY_ANON,   OK,                OK,                WORKERS_ONLY,      WORKERS_ONLY,      WORKERS_ONLY, DENY],
  ['rpc: my_project_leads',                                         DENY_ANON,   sees(),            sees('worker2 with phone'), sees(),       sees('worker2 with phone'), sees('worker2'), DENY],
  ["rpc: set_project_lead_status (worker2's lead, contacted)",      DENY_ANON,   NO_LEAD,           err(403, '42501', '只有负责的创业管家可以更新意向登记'), NO_LEAD, OK, OK, DENY],
  ['rpc: release_scheduled_posts',                                  DENY_ANON,   DENY,              DENY,              DENY,              DENY,              DENY,        OK],
]

let be: TestBackend
let p: Personas
let data: DataSnapshot

beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
  await be.db.exec(FIXTURES)
  data = await snapshotData(be)
})
afterAll(async () => {
  await be?.close()
})
afterEach(async () => {
  if ((await data.fingerprint()) !== data.baseline) await data.restore()
})

describe('posts access matrix', () => {
  it('covers select, insert, update and delete of every new table and every new RPC', () => {
    const covered = new Set(matrix.map(([name]) => `${probes[name].object} ${probes[name].action}`))
    for (const table of ['post_revisions', 'tag_follows', 'project_leads']) {
      for (const action of ['select', 'insert', 'update', 'delete']) expect(covered).toContain(`table ${table} ${action}`)
    }
    for (const fn of ['save_post', 'publish_post', 'unpublish_post', 'archive_post', 'set_post_pinned', 'search_post_hits', 'my_bookmarks',
      'record_post_read', 'follow_tag', 'unfollow_tag', 'express_project_interest', 'my_project_leads', 'set_project_lead_status', 'release_scheduled_posts']) {
      expect(covered).toContain(`function ${fn} call`)
    }
    expect(new Set(matrix.map(([name]) => name)).size).toBe(Object.keys(probes).length)
  })

  describeMatrix(probes, matrix, () => ({ p, data }))
})

describe('what a malicious member would try', () => {
  it('a direct body update keeps only the allow-list (the author PATCHes a script in)', async () => {
    await p.butlerX.from('posts').update({ body_doc: [{ name: 'p', attrs: { onclick: 'x()' }, children: [{ type: 'text', text: '正文' }] }, { name: 'script', children: [] }] }).eq('id', posts.draft)
    const [row] = (await be.db.query(`select body_doc from public.posts where id = $1`, [posts.draft])).rows
    expect(JSON.parse(String(row.body_doc))).toEqual([{ name: 'p', children: [{ type: 'text', text: '正文' }] }])
  })

  it('a worker cannot plant a revision, a follow for someone else, or a lead assigned to themselves', async () => {
    const revision = await p.workerA.from('post_revisions').insert({ post_id: posts.subsidy, changes: {} })
    const follow = await p.workerA.from('tag_follows').insert({ user_id: people.worker2, tag: '贷款' })
    const lead = await p.workerA.from('project_leads').insert({ post_id: posts.breakfast, worker_id: people.worker1, butler_id: people.worker1 })
    for (const [res, table] of [[revision, 'post_revisions'], [follow, 'tag_follows'], [lead, 'project_leads']] as const) {
      expect({ status: res.status, code: res.error?.code, message: res.error?.message }).toEqual({ status: 403, code: '42501', message: `permission denied for table ${table}` })
    }
    expect(await data.fingerprint()).toBe(data.baseline)
  })

  it("another butler cannot find the lead to move it, nor read the phone of a worker outside their groups", async () => {
    const leads = (await p.butlerX.rpc('my_project_leads')).data!
    expect(leads).toEqual([])
    // worker2 is in butler1's group, whose butlers read their members' phones (the groups rule); worker1
    // is in no group of butler1's, so butler1 sees none of worker1's contact, lead or not.
    await be.db.query(`insert into public.profile_contacts (user_id, phone) values ($1, '13800000011') on conflict do nothing`, [people.worker1])
    const contacts = await p.butlerX.from('profile_contacts').select('phone').eq('user_id', people.worker1)
    expect(contacts.data).toEqual([])
    const groupMember = await p.butlerX.from('profile_contacts').select('phone').eq('user_id', people.worker2)
    expect(groupMember.data).toEqual([{ phone: '13800000012' }])
  })

  it('huge or malformed RPC input is refused in Chinese and writes nothing', async () => {
    const huge = await p.butlerX.rpc('save_post', { post: { kind: 'notice', title: '大', body_doc: [{ name: 'p', children: [{ type: 'text', text: 'x'.repeat(300_000) }] }] } })
    expect({ status: huge.status, code: huge.error?.code, message: huge.error?.message }).toEqual({ status: 400, code: '22023', message: '正文内容过长，请删减后再保存（最多约20万字节）' })
    const tag = await p.workerA.rpc('follow_tag', { tag: 'x'.repeat(10_000) })
    expect(tag.error).toMatchObject({ code: '22023', message: '标签为1到10个字，不含空格、逗号和#' })
    const note = await p.workerB.rpc('express_project_interest', { post_id: posts.breakfast, note: '长'.repeat(5000) })
    expect(note.error).toMatchObject({ code: '22023', message: '留言最多200个字' })
    const notUuid = await p.workerB.rpc('record_post_read', { post_id: 'not-a-uuid' })
    expect(notUuid.error?.code).toBe('22P02')
    expect(await data.fingerprint()).toBe(data.baseline)
  })
})
