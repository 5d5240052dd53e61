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

/** Subpackages by domain; none yet. Each root is excluded from the main-package size budget. */
export const SUBPACKAGES: readonly Subpackage[] = []

/** Pages of the main package in app.json order; the first one opens when the app starts. */
export const MAIN_PAGES: readonly string[] = TAB_ORDER.map((name) => TABS[name].page)

/** Absolute path of a page for Taro.navigateTo / switchTab. */
export function pageUrl(page: string): string {
  return `/${page}`
}
