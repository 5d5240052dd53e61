/**
 * A class on the H5 page's root element (<html>), for styles that must reach what lives outside the
 * pages, such as H5's tab bar. The mini-program has no document and no such element: there it does
 * nothing.
 */
export function toggleRootClass(name: string, on: boolean): void {
  if (process.env.TARO_ENV === 'h5' && typeof document !== 'undefined') {
    document.documentElement.classList.toggle(name, on)
  }
}
