/**
 * Every page of the app, in one place. app.config.ts builds its page list, subpackages and tab bar from
 * here, and navigation goes through these paths, so a page is added or moved by editing this file.
 *
 * Tab pages live in the main package; tools for butlers and admins and the application wizard will live
 * in subpackages (SUBPACKAGES) so the main package stays small.
 *
 * This file is read by Taro at build time as well as bundled, so it imports nothing.
 */

export interface TabRoute {
  /** Page path without a leading slash, as app.json wants it. */
  readonly page: string
  /** Tab bar label. */
  readonly text: string
  /** Navigation bar title of the page. */
  readonly title: string
}

export const TABS = {
  home: { page: 'pages/home/index', text: '首页', title: '创业管家' },
  groups: { page: 'pages/groups/index', text: '创业群', title: '创业群' },
  apply: { page: 'pages/apply/index', text: '申报', title: '补贴申报' },
  me: { page: 'pages/me/index', text: '我的', title: '我的' },
} as const satisfies Record<string, TabRoute>

export type TabName = keyof typeof TABS

/** Tab bar order, left to right. */
export const TAB_ORDER: readonly TabName[] = ['home', 'groups', 'apply', 'me']

export interface Subpackage {
  readonly root: string
  readonly pages: readonly string[]
}

/**
 * Whether this build signs in with the seeded demo accounts instead of WeChat (TARO_APP_DEMO_LOGIN, see
 * .env.example). Read here at build time for app.json and replaced by its value in the bundle.
 */
export const DEMO_LOGIN = process.env.TARO_APP_DEMO_LOGIN === 'true'

/** Sign-in, first-time setup and account self-service, opened from the me tab or right after the first sign-in. */
export const ACCOUNT_ROOT = 'subpackages/account'
/** Tools only admins see. */
export const ADMIN_ROOT = 'subpackages/admin'
/** The message centre (消息中心), opened from the me tab. */
export const MESSAGES_ROOT = 'subpackages/messages'
/** Reading posts: a post's page, search, bookmarks (我的收藏) and a tag's page; for everyone. */
export const POSTS_ROOT = 'subpackages/posts'
/** Writing and managing posts, and the leads of 我感兴趣: butlers and admins only. */
export const EDITOR_ROOT = 'subpackages/editor'
/** A group's chat, joining, and the worker's side of questions, opened from the groups tab. */
export const GROUPS_ROOT = 'subpackages/groups'
/** The butlers' workbench (管家工作台): question queue, roster, group management; linked from the me tab. */
export const BUTLER_ROOT = 'subpackages/butler'
/** The worker's side of subsidy applications (补贴申报): self-check, programme, wizard, 我的申报, 公示. */
export const APPLY_ROOT = 'subpackages/apply'
/** Subsidy applications for butlers and admins: review queue, an application, monthly batches, visits, programmes. */
export const REVIEW_ROOT = 'subpackages/review'

/** Full paths of the pages in subpackages, for navigation. */
export const PAGES = {
  /** The demo-account picker; only in builds with DEMO_LOGIN. */
  demoLogin: `${ACCOUNT_ROOT}/pages/login/index`,
  onboarding: `${ACCOUNT_ROOT}/pages/onboarding/index`,
  /** 编辑资料: the onboarding form again, for someone onboarded. */
  profileEdit: `${ACCOUNT_ROOT}/pages/profile-edit/index`,
  /** 撤回同意 of the privacy notice. */
  withdrawConsent: `${ACCOUNT_ROOT}/pages/withdraw-consent/index`,
  /** 注销账号. */
  deleteAccount: `${ACCOUNT_ROOT}/pages/delete-account/index`,
  roles: `${ADMIN_ROOT}/pages/roles/index`,
  messages: `${MESSAGES_ROOT}/pages/index/index`,
  /** A post (?id=); notifications about a post link here (private.post_link in the database). */
  postDetail: `${POSTS_ROOT}/pages/detail/index`,
  /** 搜索 (?q= to search at once). */
  postSearch: `${POSTS_ROOT}/pages/search/index`,
  /** 我的收藏. */
  bookmarks: `${POSTS_ROOT}/pages/bookmarks/index`,
  /** One tag's posts, with 关注 (?tag=). */
  postTag: `${POSTS_ROOT}/pages/tag/index`,
  /** 我的文章: the posts a butler or admin wrote, with their status, and 写文章. */
  editorPosts: `${EDITOR_ROOT}/pages/posts/index`,
  /** 写文章 / 编辑 (?id= to edit). */
  editorEdit: `${EDITOR_ROOT}/pages/edit/index`,
  /** 我的线索: 我感兴趣 of workers assigned to this butler. */
  leads: `${EDITOR_ROOT}/pages/leads/index`,
  /**
   * Where the database's project_lead notifications point (express_project_interest's link): only
   * forwards to `leads`, so a butler's tap on the message lands on 我的线索.
   */
  leadsLink: `${POSTS_ROOT}/pages/leads/index`,
  /** A group's messages: `?id=<group id>`. */
  groupChat: `${GROUPS_ROOT}/pages/chat/index`,
  /** 加入创业群: by invite code (`?code=` from a share card) or by request. */
  joinGroup: `${GROUPS_ROOT}/pages/join/index`,
  /** 提问 in a group, with similar answered questions suggested: `?group=<group id>`. */
  askQuestion: `${GROUPS_ROOT}/pages/ask/index`,
  /** 我的提问. */
  myQuestions: `${GROUPS_ROOT}/pages/questions/index`,
  /** One question: the asker accepts or asks again, the group's butlers reply and decide: `?id=<question id>`. */
  question: `${GROUPS_ROOT}/pages/question/index`,
  /** 管家工作台: the butler's question queue and groups. */
  butlerDesk: `${BUTLER_ROOT}/pages/index/index`,
  /** 值班表 of a group: `?group=<group id>`. */
  roster: `${BUTLER_ROOT}/pages/roster/index`,
  /** 群管理: members, join requests, invite code, flagged content: `?id=<group id>`. */
  groupManage: `${BUTLER_ROOT}/pages/group-manage/index`,
  /** 政策自测: which programmes fit, why the others do not, what to prepare (nothing is kept). */
  applySelfcheck: `${APPLY_ROOT}/pages/selfcheck/index`,
  /** A subsidy programme: rules, materials, 申请 (`?id=<programme id>`). */
  applyProgramme: `${APPLY_ROOT}/pages/programme/index`,
  /** The application wizard (`?programme=<programme id>` to start or resume, `&id=<application id>`). */
  applyWizard: `${APPLY_ROOT}/pages/wizard/index`,
  /** 我的申报. */
  myApplications: `${APPLY_ROOT}/pages/mine/index`,
  /** One application (`?id=`): timeline, 补正, resubmit; application notifications link here. */
  applicationDetail: `${APPLY_ROOT}/pages/detail/index`,
  /** 公示: the batches' approved subsidies with masked names, and 提出异议. */
  publicity: `${APPLY_ROOT}/pages/publicity/index`,
  /** 审核队列: applications of my groups' members, newest submitted first. */
  reviewQueue: `${REVIEW_ROOT}/pages/queue/index`,
  /** One application as its reviewer sees it: `?id=<application id>`. */
  reviewApplication: `${REVIEW_ROOT}/pages/application/index`,
  /** 集中申报: the monthly batches of my streets. */
  reviewBatches: `${REVIEW_ROOT}/pages/batches/index`,
  /** One batch: completeness, export, 标记已申报, 发放 and objections: `?id=<batch id>`. */
  reviewBatch: `${REVIEW_ROOT}/pages/batch/index`,
  /** 走访记录. */
  visits: `${REVIEW_ROOT}/pages/visits/index`,
  /** One visit, new or to edit (`?id=<visit id>`). */
  visit: `${REVIEW_ROOT}/pages/visit/index`,
  /** 补贴项目管理 (admins). */
  programmes: `${REVIEW_ROOT}/pages/programmes/index`,
  /** 常见问题 of a group, with 需复核: `?group=<group id>` (`&tab=recheck`). */
  faqManage: `${BUTLER_ROOT}/pages/faq/index`,
  /** 编辑常见问题: `?id=<faq id>&group=<group id>`. */
  faqEdit: `${BUTLER_ROOT}/pages/faq-edit/index`,
} as const

function pagesUnder(root: string, pages: readonly string[]): string[] {
  return pages.map((page) => page.slice(root.length + 1))
}

/** Subpackages by domain. Each root is excluded from the main-package size budget. */
export const SUBPACKAGES: readonly Subpackage[] = [
  {
    root: ACCOUNT_ROOT,
    pages: pagesUnder(ACCOUNT_ROOT, [
      PAGES.onboarding,
      PAGES.profileEdit,
      PAGES.withdrawConsent,
      PAGES.deleteAccount,
      ...(DEMO_LOGIN ? [PAGES.demoLogin] : []),
    ]),
  },
  { root: ADMIN_ROOT, pages: pagesUnder(ADMIN_ROOT, [PAGES.roles]) },
  { root: MESSAGES_ROOT, pages: pagesUnder(MESSAGES_ROOT, [PAGES.messages]) },
  { root: POSTS_ROOT, pages: pagesUnder(POSTS_ROOT, [PAGES.postDetail, PAGES.postSearch, PAGES.bookmarks, PAGES.postTag, PAGES.leadsLink]) },
  { root: EDITOR_ROOT, pages: pagesUnder(EDITOR_ROOT, [PAGES.editorPosts, PAGES.editorEdit, PAGES.leads]) },
  {
    root: GROUPS_ROOT,
    pages: pagesUnder(GROUPS_ROOT, [PAGES.groupChat, PAGES.joinGroup, PAGES.askQuestion, PAGES.myQuestions, PAGES.question]),
  },
  {
    root: BUTLER_ROOT,
    pages: pagesUnder(BUTLER_ROOT, [PAGES.butlerDesk, PAGES.roster, PAGES.groupManage, PAGES.faqManage, PAGES.faqEdit]),
  },
  {
    root: APPLY_ROOT,
    pages: pagesUnder(APPLY_ROOT, [
      PAGES.applySelfcheck,
      PAGES.applyProgramme,
      PAGES.applyWizard,
      PAGES.myApplications,
      PAGES.applicationDetail,
      PAGES.publicity,
    ]),
  },
  {
    root: REVIEW_ROOT,
    pages: pagesUnder(REVIEW_ROOT, [
      PAGES.reviewQueue,
      PAGES.reviewApplication,
      PAGES.reviewBatches,
      PAGES.reviewBatch,
      PAGES.visits,
      PAGES.visit,
      PAGES.programmes,
    ]),
  },
]

/** Pages of the main package in app.json order; the first one opens when the app starts. */
export const MAIN_PAGES: readonly string[] = TAB_ORDER.map((name) => TABS[name].page)

/** Absolute path of a page for Taro.navigateTo / switchTab. */
export function pageUrl(page: string): string {
  return `/${page}`
}
