import { useEffect, type PropsWithChildren } from 'react'
import { useDidShow, useLaunch } from '@tarojs/taro'
import { watchOnboarding } from './services/auth/onboarding-gate'
import { getSession } from './services/auth/session'
import { refreshUnreadBadge, watchUnreadBadge } from './services/notifications/badge'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Reads the stored session, or signs in silently (WeChat) when there is none.
    void getSession().start()
  })
  useEffect(() => watchOnboarding(), [])
  // The 我的 tab's unread badge: set when someone signs in, cleared when they sign out, and fetched
  // again whenever the app comes back to the foreground.
  useEffect(() => watchUnreadBadge(), [])
  useDidShow(() => {
    void refreshUnreadBadge()
  })
  return children
}

export default App
