import { View } from '@tarojs/components'
import { ComingSoon } from '../../components/coming-soon'
import './index.scss'

/** The me tab. Not built yet: it says so instead of showing made-up content. */
export default function MePage() {
  return (
    <View className='me-page'>
      <ComingSoon feature='个人中心' description='以后可以在这里查看您的申报、收藏和消息通知。' />
    </View>
  )
}
