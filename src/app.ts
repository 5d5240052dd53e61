import { createElement, useEffect, type PropsWithChildren } from 'react'
import { useDidShow, useLaunch } from '@tarojs/taro'
import { QueryClientProvider } from '@tanstack/react-query'
import { watchOnboarding } from './services/auth/onboarding-gate'
import { getSession } from './services/auth/session'
import { refreshUnreadBadge, watchUnreadBadge } from './services/notifications/badge'
import { labelNavigationBarButtons } from './services/platform/navigation-bar'
import { installWebA11y } from './services/platform/web-a11y'
import { watchWeChatFontSize } from './services/preferences/large-text'
import { watchPrivacyAuthorization } from './services/privacy/privacy-authorization'
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
  // Large-text mode follows WeChat's font setting, read now and whenever the app shows again.
  useEffect(() => watchWeChatFontSize(), [])
  // H5: roles, focus and keys for what Taro and NutUI render without them (nothing on weapp).
  useEffect(() => installWebA11y(), [])
  // WeChat's privacy authorization, answered with the app's own notice (components/privacy-authorization).
  useEffect(() => watchPrivacyAuthorization(), [])
  // The 我的 tab's unread badge: set when someone signs in, cleared when they sign out, and fetched
  // again whenever the app comes back to the foreground.
  useEffect(() => watchUnreadBadge(), [])
  useDidShow(() => {
    void refreshUnreadBadge()
  })
  return createElement(QueryClientProvider, { client: getQueryClient() }, children)
}

export default App
