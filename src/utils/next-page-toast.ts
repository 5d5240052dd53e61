/**
 * A success toast for the page a person is sent to after an action ("资料已保存" on 我的 after 编辑资料).
 * Shown by that page when it comes into view (AppPage's useDidShow), not by the page being left: on
 * H5, Taro hides a toast as soon as the page it was shown on is no longer the current one, so a toast
 * shown right after navigateBack / switchTab vanished at once. Queue it before navigating.
 */
import { showSuccessToast } from '../services/query/use-app-mutation'

/** A queued toast is dropped if no page shows within this long (the navigation failed). */
const PENDING_MS = 5000

let pending: { title: string; at: number } | null = null

export function toastOnNextPage(title: string): void {
  pending = { title, at: Date.now() }
}

/** Called when a page shows: shows the queued toast, once. */
export function showPendingToast(): void {
  const queued = pending
  pending = null
  if (!queued || Date.now() - queued.at > PENDING_MS) return
  showSuccessToast(queued.title)
}
