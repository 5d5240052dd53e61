/**
 * H5 only: what the web needs for screen readers and keyboards that the mini-program gets another way.
 *
 * - NutUI writes WeChat's accessibility attribute `aria-role` (the mini-program's name for a role);
 *   browsers know only `role`, so an H5 switch, checkbox or radio had no role and an invalid attribute.
 * - Taro's H5 <Button> is a custom element (taro-button-core) with no role and no place in the tab
 *   order: it gets role="button", tabindex and aria-disabled, and Enter or Space presses it.
 * - Taro's H5 page is a scrolling element; it takes the focus so the keyboard can scroll it.
 *
 * The mini-program has no document: there this does nothing.
 */

const CONTROL_ROLES = new Set(['button', 'switch', 'checkbox', 'radio', 'link', 'tab'])

function fix(el: Element): void {
  const wechatRole = el.getAttribute('aria-role')
  if (wechatRole !== null) {
    if (!el.hasAttribute('role')) el.setAttribute('role', wechatRole)
    el.removeAttribute('aria-role')
  }
  if (el.tagName === 'TARO-BUTTON-CORE') {
    if (!el.hasAttribute('role')) el.setAttribute('role', 'button')
    const disabled = el.hasAttribute('disabled') || el.classList.contains('nut-button-disabled')
    el.setAttribute('aria-disabled', String(disabled))
    el.setAttribute('tabindex', disabled ? '-1' : '0')
  }
  if (el.classList.contains('taro_page') && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0')
}

function fixTree(root: Element): void {
  fix(root)
  for (const el of root.querySelectorAll('[aria-role], taro-button-core, .taro_page')) fix(el)
}

/** Starts fixing what is and will be on the page; answers a function that stops. */
export function installWebA11y(): () => void {
  if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined' || typeof MutationObserver === 'undefined') return () => undefined
  fixTree(document.body)
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') fix(record.target as Element)
      for (const node of record.addedNodes) if (node.nodeType === 1) fixTree(node as Element)
    }
  })
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-role', 'disabled', 'class'] })
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return
    const target = event.target as HTMLElement | null
    const role = target?.getAttribute('role')
    if (!target || !role || !CONTROL_ROLES.has(role) || target.tagName === 'BUTTON' || target.tagName === 'A') return
    if (target.getAttribute('aria-disabled') === 'true') return
    event.preventDefault()
    target.click()
  }
  document.addEventListener('keydown', onKey)
  return () => {
    observer.disconnect()
    document.removeEventListener('keydown', onKey)
  }
}
