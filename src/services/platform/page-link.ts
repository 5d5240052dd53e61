/**
 * H5 only: the address of the page on screen, to copy and send (分享 on H5, where WeChat's share sheet
 * does not exist). The mini-program shares through onShareAppMessage instead.
 */
export function currentPageLink(): string {
  return typeof window === 'undefined' ? '' : window.location.href
}
