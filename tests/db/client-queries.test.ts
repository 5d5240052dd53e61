/**
 * The app's own queries (src/services) against the migrated schema, as the personas: what the home
 * feed, 我的 and 角色管理 get. Taro is stubbed: the fetchers take the client as an argument.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { getPeople } from '../../src/services/admin/people-query'
import { loadCurrentUser } from '../../src/services/auth/current-user'
import { getFeed } from '../../src/services/posts/posts-query'
import { getMyQuestions } from '../../src/services/questions/my-questions-query'
import { getOwnProfile } from '../../src/services/profile/own-profile-query'
import { startTestBackend, type TestBackend } from '../support/backend'
import { people } from '../support/clients'
import { groups, personas, type Personas } from '../support/personas'

vi.mock('@tarojs/taro', () => ({ default: {} }))

// The seeded city-wide (全市) posts' titles, in the feed's order: pinned first, then newest first. What
// someone signed out and worker1 (no district yet) read.
const publishedFeed = [
  '创业补贴集中申报时间安排（本月25日截止）',
  '一次性创业补贴：去产能分流职工可申请',
  '社区早餐店：低门槛创业项目推荐',
  '创业担保贷款贴息政策解读',
  '从炼钢工到家政公司老板：刘师傅的再出发',
  '孵化基地12月开放日报名',
]

// Staff read posts of every region: the city-wide ones and the seeded district and street posts (not
// the archived one), in the same order.
const staffFeed = [
  '创业补贴集中申报时间安排（本月25日截止）',
  '社区家政服务站：兴隆路街道招募合伙人',
  '兴隆路街道电工、焊工培训班报名',
  '市北区孵化基地入驻补贴',
  '四方区创业场地租金补贴申领指南',
  '一次性创业补贴：去产能分流职工可申请',
  '个体经营税费减免：分流职工每年最高扣减2万元',
  '从碱厂化验员到社区烘焙坊：陈大姐的第二次创业',
  '社区早餐店：低门槛创业项目推荐',
  '创业担保贷款贴息政策解读',
  '从炼钢工到家政公司老板：刘师傅的再出发',
  '孵化基地12月开放日报名',
]

let be: TestBackend
let p: Personas
beforeAll(async () => {
  be = await startTestBackend()
  p = await personas(be)
})
afterAll(async () => {
  await be?.close()
})

describe('the home feed (getFeed)', () => {
  it('shows a butler with a draft only the published posts, not their draft', async () => {
    const feed = await getFeed(p.butlerX)
    expect(feed.map((post) => post.title)).toEqual(staffFeed)
    expect(feed.map((post) => post.title)).not.toContain('（草稿）场地租金补贴办法征求意见')
  })

  it('shows a butler with a scheduled post only the published posts, not the scheduled one', async () => {
    const feed = await getFeed(p.butlerY)
    expect(feed.map((post) => post.title)).toEqual(staffFeed)
    expect(feed.map((post) => post.title)).not.toContain('（定时发布）咖啡师培训班招生')
  })

  it('shows the author of each post by name, to a signed-in worker and to anyone', async () => {
    for (const client of [p.workerA, p.anon]) {
      const feed = await getFeed(client)
      expect(feed[0]).toMatchObject({ title: publishedFeed[0], pinned: true, author: { display_name: '王主任' } })
      expect(feed.map((post) => post.author?.display_name)).toEqual(['王主任', '李管家', '李管家', '张管家', '王主任', '张管家'])
    }
  })
})

describe('我的 (getOwnProfile)', () => {
  it("gives a worker their whole profile", async () => {
    expect(await getOwnProfile(people.worker2, p.workerB)).toMatchObject({
      id: people.worker2, role: 'worker', former_employer: '青岛碱业', displaced_on: '2025-06-30', startup_intention: '想开一家社区家政服务社',
    })
  })

  it("refuses another person's profile as not found", async () => {
    await expect(getOwnProfile(people.worker2, p.workerA)).rejects.toMatchObject({ code: 'not_found' })
  })
})

describe('角色管理 (getPeople)', () => {
  it('lists everyone for an admin, admins first', async () => {
    const list = await getPeople(p.admin)
    expect(list.map((person) => person.role)).toEqual(['admin', 'butler', 'butler', 'worker', 'worker'])
  })

  it('lists the butler and the members of their groups for a butler (worker2 is in butler1\'s group)', async () => {
    expect((await getPeople(p.butlerX)).map((person) => person.id)).toEqual([people.butler1, people.worker2])
  })
})

describe('我的提问 (getMyQuestions)', () => {
  it("tells the asker that a new question waits for the content check (审核中), and no one else's questions", async () => {
    const asked = await p.workerB.rpc('ask_question', { group_id: groups.X, title: '场地租金补贴怎么申请？', body: '我在兴隆路租了门面。' })
    expect(asked.error).toBeNull()
    const mine = await getMyQuestions(people.worker2, p.workerB)
    expect(mine[0]).toMatchObject({ title: '场地租金补贴怎么申请？', status: 'open', check_status: 'pending', group: { name: '兴隆路街道创业群' } })
    expect(mine.slice(1).every((q) => q.check_status === 'published')).toBe(true)
    expect(await getMyQuestions(people.worker2, p.workerA)).toEqual([])
  })
})

describe('app start with a stored token (loadCurrentUser)', () => {
  it('gives a worker and an admin their own id, role, name and onboarding state', async () => {
    const target = { url: be.url, anonKey: be.anonKey }
    for (const [id, role, name] of [[people.worker2, 'worker', '陈秀英'], [people.admin, 'admin', '王主任']] as const) {
      const token = await be.signToken({ sub: id })
      const user = await loadCurrentUser(token, id, { fetch: globalThis.fetch, target })
      expect(user).toMatchObject({ id, role, display_name: name, onboarded: true })
    }
  })
})
