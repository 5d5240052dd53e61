import Taro from '@tarojs/taro'
import { pageUrl, TAB_ORDER, TABS, type TabName } from '../constants/routes'

/** Opens a tab page (tab pages cannot be pushed with navigateTo). */
export function switchTab(name: TabName): Promise<TaroGeneral.CallbackResult> {
  return Taro.switchTab({ url: pageUrl(TABS[name].page) })
}

/** Pushes a non-tab page, with its query parameters encoded. */
export function navigateTo(page: string, query: Record<string, string> = {}): Promise<TaroGeneral.CallbackResult> {
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&')
  return Taro.navigateTo({ url: search ? `${pageUrl(page)}?${search}` : pageUrl(page) })
}

/** Replaces the current page with another non-tab page (no way back to the one left). */
export function redirectTo(page: string): Promise<TaroGeneral.CallbackResult> {
  return Taro.redirectTo({ url: pageUrl(page) })
}

/** The path of the page on top, without a leading slash ('' before the first page is shown). */
export function currentPage(): string {
  const pages = Taro.getCurrentPages()
  const top = pages[pages.length - 1] as { route?: string; path?: string } | undefined
  return (top?.route ?? top?.path ?? '').replace(/^\//, '').split('?')[0]
}

/**
 * Opens an app path as stored in data (a notification's link, e.g. `/pages/me/index` or
 * `/subpackages/x/pages/y/index?id=1`): switchTab for tab pages (which take no query), navigateTo otherwise.
 */
export function openLink(link: string): Promise<TaroGeneral.CallbackResult> {
  const path = link.replace(/^\//, '').split('?')[0]
  const tab = TAB_ORDER.find((name) => TABS[name].page === path)
  if (tab) return switchTab(tab)
  return Taro.navigateTo({ url: link.startsWith('/') ? link : `/${link}` })
}
