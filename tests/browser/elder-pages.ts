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
  { name: '创业群', page: TABS.groups.page, ready: '.groups-page .nut-empty' },
  { name: '申报', page: TABS.apply.page, ready: '.apply-page .nut-empty' },
  { name: '我的', page: TABS.me.page, ready: '.me-page__header', who: SIGNED_IN },
  { name: '我的（未登录）', page: TABS.me.page, ready: '.me-page .nut-empty', who: ['guest'] },
  { name: '选择演示账号', page: PAGES.demoLogin, ready: '.demo-login__account', who: ['guest'] },
  { name: '消息中心', page: PAGES.messages, ready: '.messages-page__toolbar, .messages-page .nut-empty', who: SIGNED_IN },
  { name: '隐私保护指引（首次使用）', page: PAGES.onboarding, ready: '.onboarding__privacy', who: ['worker1'] },
  { name: '编辑资料', page: PAGES.profileEdit, ready: '.profile-form__name', who: ONBOARDED },
  { name: '撤回同意', page: PAGES.withdrawConsent, ready: '.confirm-action', who: ONBOARDED },
  { name: '注销账号', page: PAGES.deleteAccount, ready: '.confirm-action', who: SIGNED_IN },
  { name: '角色管理', page: PAGES.roles, ready: '.roles-page__person', who: ['admin'] },
]
