import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useMyBatches } from '../../../../services/review/batches-query'
import { formatDateTime, formatMonth, formatYuan } from '../../../../services/review/labels'
import { navigateTo } from '../../../../utils/navigation'
import { BatchStatusTag } from '../../components/status-tag'
import '../../components/review.scss'

/**
 * 集中申报: one batch per street and month; approved applications join the open one, which locks at its
 * cut-off for 公示 and is then exported, filed and settled. Newest month first, with counts.
 */
export default function BatchesPage() {
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const batches = useMyBatches(staff)

  usePullDownRefresh(() => {
    void batches.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!staff) {
    return (
      <AppPage className='review-page review-batches'>
        <PageState empty emptyTitle='集中申报仅供创业管家使用' emptyDescription='如需开通，请联系管理员' />
      </AppPage>
    )
  }

  const list = batches.data ?? []
  return (
    <AppPage className='review-page review-batches'>
      <PageState query={batches} skeletonCards={2} empty={list.length === 0} emptyTitle='还没有申报批次' emptyDescription='审核通过的申报会自动进入本月所在街道的批次'>
        {list.map((batch) => (
          <View key={batch.id} className='review-card batch-row' hoverClass='review-card--pressed' onClick={() => void navigateTo(PAGES.reviewBatch, { id: batch.id })}>
            <View className='review-head'>
              <Text className='review-title'>
                {batch.street} {formatMonth(batch.month)}
              </Text>
              <BatchStatusTag status={batch.status} />
            </View>
            <Text className='review-meta'>
              {batch.applications}份申报 · 核定合计 {formatYuan(batch.approved_total)}
            </Text>
            <Text className='review-meta'>
              {batch.status === 'open' ? `截止 ${formatDateTime(batch.cutoff_at)}` : batch.publicity_until ? `公示至 ${formatDateTime(batch.publicity_until)}` : ''}
              {Number(batch.objections_open) > 0 ? ` · ${batch.objections_open}条异议待答复` : ''}
            </Text>
          </View>
        ))}
      </PageState>
    </AppPage>
  )
}
