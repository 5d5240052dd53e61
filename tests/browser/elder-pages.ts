/**
 * The pages the elder-friendly audit (elder-audit.test.ts) measures, for each demo person, in normal and
 * large-text mode. A page a feature adds is audited by adding one line here: where it is, what shows
 * once its content is there, and who can open it (everyone when `who` is left out).
 */
import { PAGES, TABS } from '../../src/constants/routes'

/** The people the audit signs in as (the seeded demo accounts), and `guest`, nobody signed in. */
export const AUDIT_PEOPLE = {
  guest: null,
  admin: '王主任',
  butler1: '李管家',
  /** Not onboarded yet: onboarding opens by itself after sign-in. */
  worker1: '刘建国',
  worker2: '陈秀英',
} as const

export type AuditPerson = keyof typeof AUDIT_PEOPLE

const SIGNED_IN: readonly AuditPerson[] = ['admin', 'butler1', 'worker1', 'worker2']
const ONBOARDED: readonly AuditPerson[] = ['admin', 'butler1', 'worker2']
const STAFF: readonly AuditPerson[] = ['admin', 'butler1']

/** Seeded rows (supabase/seed.sql) the pages below open. */
const SEED = {
  /** 兴隆路街道创业群: butler1 and butler2 its butlers, worker2 a member. */
  group: '20000000-0000-4000-8000-000000000001',
  /** 创业担保贷款能贷多少？: worker2's question, answered by butler1, not yet accepted. */
  question: '40000000-0000-4000-8000-000000000002',
  /** 一次性创业补贴: a city-wide policy by butler1, everyone can read it. */
  policy: '10000000-0000-4000-8000-000000000002',
  /** 社区早餐店: a city-wide project worker2 has not shown interest in (the 我感兴趣 form shows). */
  project: '10000000-0000-4000-8000-000000000004',
  /** 四方区创业场地租金补贴申领指南: butler1's policy with a rich body and policy fields. */
  ownPolicy: '10000000-0000-4000-8000-000000000011',
  /** 一次性创业补贴, the first programme of the catalogue. */
  programme: '60000000-0000-4000-8000-000000000001',
  /** 场地租金补贴 and worker2's consented draft of it (the wizard opens at 申请人). */
  rentProgramme: '60000000-0000-4000-8000-000000000003',
  draftApplication: '50000000-0000-4000-8000-000000000001',
  /** worker2's submitted 带动就业补贴, waiting for review. */
  submittedApplication: '50000000-0000-4000-8000-000000000002',
  /** This month's 兴隆路 batch, holding 陈秀英's approved 一次性创业补贴. */
  batch: '70000000-0000-4000-8000-000000000001',
  /** 一次性创业补贴需要准备哪些材料？: 兴隆路's FAQ entry, linking the 一次性创业补贴 policy. */
  faq: '42000000-0000-4000-8000-000000000001',
} as const

export interface AuditedPage {
  /** What a person calls the page. */
  name: string
  /** The page path (app.json style, no leading slash), with a query if it needs one. */
  page: string
  /** A selector inside the page that shows once its content (not a skeleton) is there. */
  ready: string
  /** Who opens it; every person and the guest when left out. */
  who?: readonly AuditPerson[]
}

export const ELDER_AUDIT_PAGES: readonly AuditedPage[] = [
  { name: '首页', page: TABS.home.page, ready: '.post-item' },
  { name: '创业群', page: TABS.groups.page, ready: '.group-row, .groups-page .nut-empty' },
  { name: '申报', page: TABS.apply.page, ready: '.programme-item, .apply-page .nut-empty' },
  { name: '我的', page: TABS.me.page, ready: '.me-page__header', who: SIGNED_IN },
  { name: '我的（未登录）', page: TABS.me.page, ready: '.me-page .nut-empty', who: ['guest'] },
  { name: '选择演示账号', page: PAGES.demoLogin, ready: '.demo-login__account', who: ['guest'] },
  { name: '消息中心', page: PAGES.messages, ready: '.messages-page__toolbar, .messages-page .nut-empty', who: SIGNED_IN },
  { name: '隐私保护指引（首次使用）', page: PAGES.onboarding, ready: '.onboarding__privacy', who: ['worker1'] },
  { name: '编辑资料', page: PAGES.profileEdit, ready: '.profile-form__name', who: ONBOARDED },
  { name: '撤回同意', page: PAGES.withdrawConsent, ready: '.confirm-action', who: ONBOARDED },
  { name: '注销账号', page: PAGES.deleteAccount, ready: '.confirm-action', who: SIGNED_IN },
  { name: '角色管理', page: PAGES.roles, ready: '.roles-page__person', who: ['admin'] },
  // Groups (创业群): a group's chat, joining, asking, and questions.
  { name: '群聊', page: `${PAGES.groupChat}?id=${SEED.group}`, ready: '.chat-message', who: ['butler1', 'worker2'] },
  { name: '加入创业群', page: PAGES.joinGroup, ready: '.join-group__card, .join-group .nut-empty', who: ['guest', 'worker1', 'worker2'] },
  { name: '提问', page: `${PAGES.askQuestion}?group=${SEED.group}`, ready: '.question-input', who: ['worker2'] },
  { name: '我的提问', page: PAGES.myQuestions, ready: '.my-question', who: ['worker2'] },
  { name: '问题详情', page: `${PAGES.question}?id=${SEED.question}`, ready: '.question-title', who: ['butler1', 'worker2'] },
  // The butlers' workbench (管家工作台).
  { name: '管家工作台', page: PAGES.butlerDesk, ready: '.butler-desk__tabs', who: STAFF },
  { name: '值班表', page: `${PAGES.roster}?group=${SEED.group}`, ready: '.roster-shift, .roster-page .nut-empty', who: STAFF },
  { name: '群管理', page: `${PAGES.groupManage}?id=${SEED.group}`, ready: '.group-member', who: STAFF },
  { name: '常见问题', page: `${PAGES.faqManage}?group=${SEED.group}`, ready: '.faq-item', who: STAFF },
  { name: '常见问题·需复核', page: `${PAGES.faqManage}?group=${SEED.group}&tab=recheck`, ready: '.faq-item, .faq-manage .nut-empty', who: STAFF },
  { name: '编辑常见问题', page: `${PAGES.faqEdit}?id=${SEED.faq}&group=${SEED.group}`, ready: '.faq-edit-answer', who: STAFF },
  // Reading posts.
  { name: '资讯详情', page: `${PAGES.postDetail}?id=${SEED.policy}`, ready: '.post-detail__actions' },
  { name: '项目详情', page: `${PAGES.postDetail}?id=${SEED.project}`, ready: '.project-interest', who: ['worker2'] },
  { name: '搜索', page: `${PAGES.postSearch}?q=${encodeURIComponent('补贴')}`, ready: '.search-result, .search-page .nut-empty', who: ['guest', 'worker2'] },
  { name: '我的收藏', page: PAGES.bookmarks, ready: '.bookmark-item, .bookmarks-page .nut-empty', who: ['guest', 'worker2'] },
  { name: '标签', page: `${PAGES.postTag}?tag=${encodeURIComponent('补贴')}`, ready: '.tag-page__head', who: ['guest', 'worker2'] },
  // Writing posts (butlers and admins).
  { name: '我的文章', page: PAGES.editorPosts, ready: '.my-post, .my-posts .nut-empty', who: STAFF },
  { name: '写文章', page: PAGES.editorEdit, ready: '.post-editor__form', who: STAFF },
  { name: '编辑文章', page: `${PAGES.editorEdit}?id=${SEED.ownPolicy}`, ready: '.post-editor__form', who: ['butler1'] },
  { name: '我的线索', page: PAGES.leads, ready: '.lead-item, .leads-page .nut-empty', who: STAFF },
  // Applying for subsidies (the worker's side).
  { name: '政策自测', page: PAGES.applySelfcheck, ready: '.selfcheck-run', who: ['guest', 'worker2'] },
  { name: '我的申报', page: PAGES.myApplications, ready: '.my-application, .my-applications .nut-empty', who: ['guest', 'worker2'] },
  { name: '补贴项目', page: `${PAGES.applyProgramme}?id=${SEED.programme}`, ready: '.programme-title', who: ['guest', 'worker2'] },
  { name: '填写申报', page: `${PAGES.applyWizard}?programme=${SEED.rentProgramme}&id=${SEED.draftApplication}`, ready: '.wizard-applicant', who: ['worker2'] },
  { name: '申报详情', page: `${PAGES.applicationDetail}?id=${SEED.submittedApplication}`, ready: '.application-title', who: ['worker2'] },
  { name: '补贴公示', page: PAGES.publicity, ready: '.publicity-batch, .publicity-page .nut-empty', who: ['guest', 'worker2'] },
  // Reviewing subsidy applications, the monthly batches, visits and programmes (butlers and admins).
  { name: '审核队列', page: PAGES.reviewQueue, ready: '.queue-application, .review-queue .nut-empty', who: STAFF },
  { name: '申报审核', page: `${PAGES.reviewApplication}?id=${SEED.submittedApplication}`, ready: '.application-head', who: STAFF },
  { name: '集中申报', page: PAGES.reviewBatches, ready: '.batch-row, .review-batches .nut-empty', who: STAFF },
  { name: '申报批次', page: `${PAGES.reviewBatch}?id=${SEED.batch}`, ready: '.batch-head', who: STAFF },
  { name: '走访记录', page: PAGES.visits, ready: '.visit-row, .review-visits .nut-empty', who: STAFF },
  { name: '新增走访', page: PAGES.visit, ready: '.visit-form', who: STAFF },
  { name: '补贴项目管理', page: PAGES.programmes, ready: '.programme-row, .review-programmes .nut-empty', who: ['admin'] },
]
