/** The mini-program's (and Taro H5's) events that drive TanStack Query, for platform-events.ts. */
import Taro from '@tarojs/taro'
import { browserIsOnline, watchBrowserOnline } from '../platform/browser-online'
import type { QueryPlatformEvents } from './platform-events'

export function taroQueryEvents(): QueryPlatformEvents {
  return {
    onAppShow(listener) {
      Taro.onAppShow(listener)
      return () => Taro.offAppShow(listener)
    },
    onAppHide(listener) {
      Taro.onAppHide(listener)
      return () => Taro.offAppHide(listener)
    },
    onNetworkChange(listener) {
      const onStatus = (result: { isConnected: boolean }) => listener(result.isConnected)
      Taro.onNetworkStatusChange(onStatus)
      const offBrowser = watchBrowserOnline(listener)
      return () => {
        Taro.offNetworkStatusChange(onStatus)
        offBrowser?.()
      }
    },
    async isOnline() {
      const browser = browserIsOnline()
      if (browser !== null) return browser
      const { networkType } = await Taro.getNetworkType()
      return networkType !== 'none'
    },
  }
}
