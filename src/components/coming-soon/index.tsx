import type { FunctionComponent } from 'react'
import { switchTab } from '../../utils/navigation'
import { Button } from '../nutui'
import { PageState } from '../page-state'

export interface ComingSoonProps {
  /** What the feature is called, e.g. 创业群. */
  feature: string
  /** One sentence on what it will do. */
  description: string
}

/** The honest state of a tab whose feature is not built yet. */
export const ComingSoon: FunctionComponent<ComingSoonProps> = ({ feature, description }) => (
  <PageState
    className='coming-soon'
    empty
    emptyTitle={`${feature}功能正在开发中`}
    emptyDescription={description}
    emptyAction={
      <Button type='primary' size='large' onClick={() => void switchTab('home')}>
        先看看政策资讯
      </Button>
    }
  />
)

ComingSoon.displayName = 'ComingSoon'
