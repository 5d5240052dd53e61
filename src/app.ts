import { createElement, useEffect, type PropsWithChildren } from 'react'
import { useDidShow, useLaunch } from '@tarojs/taro'
import { QueryClientProvider } from '@tanstack/react-query'
import { watchOnboarding } from './services/auth/onboarding-gate'
import { getSession } from './services/auth/session'
import { refreshUnreadBadge, watchUnreadBadge } from './services/notifications/badge'
import { labelNavigationBarButtons } from './services/platform/navigation-bar'
import { wireQueryPlatform } from './services/query/platform-events'
import { getQueryClient } from './services/query/query-client'
import { taroQueryEvents } from './services/query/taro-events'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Reads the stored session, or signs in silently (WeChat) when there is none.
    void getSession().start()
  })
  // Queries refetch when the app comes back to the foreground and when the network returns.
  useEffect(() => wireQueryPlatform(taroQueryEvents()), [])
  useEffect(() => watchOnboarding(), [])
  // H5: the navigation bar's back and home buttons are buttons for screen readers and keyboards too.
  useEffect(() => {
    if (labelNavigationBarButtons()) return
    const timer = setTimeout(labelNavigationBarButtons, 0)
    return () => clearTimeout(timer)
  }, [])
  // The 我的 tab's unread badge: set when someone signs in, cleared when they sign out, and fetched
  // again whenever the app comes back to the foreground.
  useEffect(() => watchUnreadBadge(), [])
  useDidShow(() => {
    void refreshUnreadBadge()
  })
  return createElement(QueryClientProvider, { client: getQueryClient() }, children)
}

export default App
