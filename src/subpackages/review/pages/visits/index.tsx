import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useVisits } from '../../../../services/review/visits'
import { formatDate } from '../../../../utils/date'
import { navigateTo } from '../../../../utils/navigation'
import '../../components/review.scss'

/** 走访记录: the monthly visits to incubation bases of my streets, newest first, and 新增走访. */
export default function VisitsPage() {
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const visits = useVisits(staff)

  usePullDownRefresh(() => {
    void visits.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!staff) {
    return (
      <AppPage className='review-page review-visits'>
        <PageState empty emptyTitle='走访记录仅供创业管家使用' emptyDescription='如需开通，请联系管理员' />
      </AppPage>
    )
  }

  const list = visits.data ?? []
  const add = (
    <Button className='new-visit' type='primary' size='large' block onClick={() => void navigateTo(PAGES.visit)}>
      新增走访
    </Button>
  )
  return (
    <AppPage className='review-page review-visits'>
      <PageState query={visits} skeletonCards={2} empty={list.length === 0} emptyTitle='还没有走访记录' emptyDescription='每月走访孵化基地后，在这里记下见到的人、情况和照片' emptyAction={add}>
        <View className='review-toolbar'>
          {add}
        </View>
        {list.map((visit) => (
          <View key={visit.id} className='review-card visit-row' hoverClass='review-card--pressed' onClick={() => void navigateTo(PAGES.visit, { id: visit.id })}>
            <Text className='review-title'>{visit.base_name}</Text>
            <Text className='review-meta'>
              {formatDate(visit.visited_on)} · {visit.butler?.display_name ?? ''} · {visit.street}
            </Text>
            {visit.people_met && <Text className='review-meta'>见到：{visit.people_met}</Text>}
            {visit.photo_paths.length > 0 && <Text className='review-meta'>{visit.photo_paths.length}张照片</Text>}
          </View>
        ))}
      </PageState>
    </AppPage>
  )
}
