import { useEffect, type PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import { watchOnboarding } from './services/auth/onboarding-gate'
import { getSession } from './services/auth/session'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Reads the stored session, or signs in silently (WeChat) when there is none.
    void getSession().start()
  })
  useEffect(() => watchOnboarding(), [])
  return children
}

export default App
