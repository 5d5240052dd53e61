/**
 * The unread badge on the 我的 tab. refreshUnreadBadge fetches the signed-in person's unread count, puts
 * it in the query cache (so 我的's 消息中心 row shows the same number, from one request) and sets or removes the badge;
 * with nobody signed in the badge goes. Called when the app shows, when someone signs in or out, and
 * when 我的 or 消息中心 shows. Never throws: a badge is not worth an error message.
 */
import Taro from '@tarojs/taro'
import { TAB_ORDER } from '../../constants/routes'
import { getSession } from '../auth/session'
import { personKey } from '../query/person-key'
import { getQueryClient } from '../query/query-client'
import { notificationKeys } from './keys'
import { getUnreadCount } from './unread-count-query'

const ME_TAB_INDEX = TAB_ORDER.indexOf('me')

/** What the badge says: nothing at 0, the count up to 99, then 99+. */
export function badgeText(count: number): string | null {
  if (count <= 0) return null
  return count > 99 ? '99+' : String(count)
}

/** How long to wait for the tab bar to answer (on H5 nothing answers while it is not mounted). */
const BADGE_TIMEOUT_MS = 2000

/**
 * Sets the badge to a count already known (e.g. after marking messages read). WeChat refuses while a
 * non-tab page is on top; 我的 sets it again when it shows.
 */
export async function showUnreadBadge(count: number): Promise<void> {
  const text = badgeText(count)
  try {
    const call = text ? Taro.setTabBarBadge({ index: ME_TAB_INDEX, text }) : Taro.removeTabBarBadge({ index: ME_TAB_INDEX })
    await Promise.race([call, new Promise((resolve) => setTimeout(resolve, BADGE_TIMEOUT_MS))])
  } catch {
    // No tab bar yet (the app is still starting) or the page on top has none: the next show sets it.
  }
}

let latest = 0

export async function refreshUnreadBadge(): Promise<void> {
  const request = ++latest
  const state = getSession().getState()
  if (state.status !== 'signed-in') {
    if (state.status === 'signed-out') await showUnreadBadge(0)
    return
  }
  const userId = state.user.id
  let count: number
  try {
    // Through the query cache: a fetch already running for 我的's 消息中心 row is shared, not repeated,
    // and the row shows the same number.
    count = await getQueryClient().fetchQuery({ queryKey: personKey(userId, notificationKeys.unread()), queryFn: () => getUnreadCount(), staleTime: 0, retry: false })
  } catch {
    return
  }
  if (request !== latest) return
  await showUnreadBadge(count)
}

/** Keeps the badge in step with who is signed in; returns the unsubscribe function. */
export function watchUnreadBadge(): () => void {
  const session = getSession()
  let shownFor: string | null | undefined
  const check = (): void => {
    const state = session.getState()
    const who = state.status === 'signed-in' ? state.user.id : state.status === 'signed-out' ? null : undefined
    if (who === undefined || who === shownFor) return
    shownFor = who
    void refreshUnreadBadge()
  }
  check()
  return session.subscribe(check)
}
