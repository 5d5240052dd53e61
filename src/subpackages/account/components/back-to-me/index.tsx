import type { FunctionComponent } from 'react'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { switchTab } from '../../../../utils/navigation'

export interface BackToMeProps {
  /** The page's root class, so its layout stays the page's own. */
  className: string
  title: string
  description?: string
  /** The button's label; it always leads to 我的 (sign-in lives there). */
  action?: string
}

/**
 * A whole page that has nothing to do here and sends the person to 我的: signed out, or nothing to
 * withdraw. The account pages share it instead of each drawing the same empty state.
 */
export const BackToMe: FunctionComponent<BackToMeProps> = ({ className, title, description, action = '返回我的' }) => (
  <AppPage className={className}>
    <PageState
      empty
      emptyTitle={title}
      emptyDescription={description}
      emptyAction={
        <Button type='primary' size='large' onClick={() => void switchTab('me')}>
          {action}
        </Button>
      }
    />
  </AppPage>
)

BackToMe.displayName = 'BackToMe'
