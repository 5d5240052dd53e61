import type { FunctionComponent } from 'react'
import { View } from '@tarojs/components'
import { switchTab } from '../../utils/navigation'
import { Button, Empty } from '../nutui'
import './index.scss'

export interface ComingSoonProps {
  /** What the feature is called, e.g. 创业群. */
  feature: string
  /** One sentence on what it will do. */
  description: string
}

const classPrefix = 'coming-soon'

/** The honest state of a tab whose feature is not built yet. */
export const ComingSoon: FunctionComponent<ComingSoonProps> = ({ feature, description }) => (
  <View className={classPrefix}>
    <Empty image={<View className={`${classPrefix}__image`} />} title={`${feature}功能正在开发中`} description={description}>
      <View className={`${classPrefix}__actions`}>
        <Button type='primary' size='large' onClick={() => void switchTab('home')}>
          先看看政策资讯
        </Button>
      </View>
    </Empty>
  </View>
)

ComingSoon.displayName = 'ComingSoon'
