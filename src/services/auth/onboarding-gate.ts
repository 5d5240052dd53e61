/**
 * Sends someone who signed in but has not finished onboarding to the onboarding page, once per person
 * and app run (they may step back to 我的, which offers 完善资料 again). The demo picker sends people on
 * itself, so nothing happens while it is open.
 */
import { PAGES } from '../../constants/routes'
import { currentPage, navigateTo } from '../../utils/navigation'
import { getSession } from './session'

export function watchOnboarding(): () => void {
  const session = getSession()
  let handled: string | null = null
  const check = (): void => {
    const state = session.getState()
    if (state.status !== 'signed-in' || state.user.onboarded || handled === state.user.id) return
    handled = state.user.id
    const page = currentPage()
    if (page === PAGES.onboarding || page === PAGES.demoLogin) return
    void navigateTo(PAGES.onboarding).catch(() => undefined)
  }
  check()
  return session.subscribe(check)
}
