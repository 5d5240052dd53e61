/**
 * Taro's H5 navigation bar (app.config.ts: navigationStyle 'default') draws its back and home buttons
 * as bare <div>s with an icon. Give them what a button has: a role, a Chinese name a screen reader says
 * (返回, 回到首页), a place in the tab order, and Enter/Space. Nothing on the mini-program, whose bar is
 * WeChat's own.
 */
const BUTTONS: ReadonlyArray<{ selector: string; label: string }> = [
  { selector: '.taro-navigation-bar-back', label: '返回' },
  { selector: '.taro-navigation-bar-home', label: '回到首页' },
]

/** Returns whether the bar was there to label (Taro creates it when the router mounts). */
export function labelNavigationBarButtons(): boolean {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return true
  const bar = document.getElementById('taro-navigation-bar')
  if (!bar) return false
  for (const { selector, label } of BUTTONS) {
    const button = bar.querySelector<HTMLElement>(selector)
    if (!button || button.getAttribute('role') === 'button') continue
    button.setAttribute('role', 'button')
    button.setAttribute('aria-label', label)
    button.tabIndex = 0
    button.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        // Handled here, once: not also by a document-wide key handler.
        event.preventDefault()
        event.stopPropagation()
        button.click()
      }
    })
  }
  return true
}
