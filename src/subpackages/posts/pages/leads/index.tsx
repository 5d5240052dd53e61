import { useEffect } from 'react'
import Taro from '@tarojs/taro'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { PAGES, pageUrl } from '../../../../constants/routes'

/**
 * The address the database gives project_lead notifications (/subpackages/posts/pages/leads/index): the
 * leads list itself is a staff page of the editor subpackage, so this page only forwards there.
 */
export default function LeadsLinkPage() {
  useEffect(() => {
    void Taro.redirectTo({ url: pageUrl(PAGES.leads) })
  }, [])
  return (
    <AppPage>
      <PageState loading skeletonCards={2} />
    </AppPage>
  )
}
