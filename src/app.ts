import type { PropsWithChildren } from 'react'
import { useLaunch } from '@tarojs/taro'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Nothing to do at launch yet; WeChat sign-in will start here.
  })
  return children
}

export default App
