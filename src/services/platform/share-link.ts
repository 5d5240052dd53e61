/**
 * A link to a page of the H5 build that someone can paste into WeChat or a browser (the share card of a
 * group on H5, where there is no onShareAppMessage). Taro's H5 router uses the hash: `<site>/#/<page>?…`.
 * Null on the mini-program, which shares cards, not links.
 */
export function h5PageLink(page: string, query: Record<string, string>): string | null {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return null
  const search = Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&')
  const { origin, pathname } = window.location
  return `${origin}${pathname}#/${page.replace(/^\//, '')}${search ? `?${search}` : ''}`
}
