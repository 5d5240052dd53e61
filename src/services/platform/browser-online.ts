/**
 * The browser's online/offline events, for H5: Taro's onNetworkStatusChange there follows only
 * navigator.connection, which most browsers lack or do not fire when the network drops. Nothing on
 * the mini-program (returns null there).
 */
export function watchBrowserOnline(listener: (online: boolean) => void): (() => void) | null {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return null
  const online = () => listener(true)
  const offline = () => listener(false)
  window.addEventListener('online', online)
  window.addEventListener('offline', offline)
  return () => {
    window.removeEventListener('online', online)
    window.removeEventListener('offline', offline)
  }
}

/** Whether the browser thinks it is online; null on the mini-program. */
export function browserIsOnline(): boolean | null {
  if (process.env.TARO_ENV !== 'h5' || typeof navigator === 'undefined') return null
  return navigator.onLine
}
