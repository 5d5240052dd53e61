import { useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { formatDateTime, formatYuan, QUEUE_FILTER_LABELS, QUEUE_FILTERS, type QueueFilter } from '../../../../services/review/labels'
import { useReviewQueue } from '../../../../services/review/queue-query'
import { navigateTo } from '../../../../utils/navigation'
import { ApplicationStatusTag } from '../../components/status-tag'
import '../../components/review.scss'

/**
 * 审核队列: the applications of my groups' members (every one for admins), newest submitted first,
 * filtered by status (待审核 = 已提交 and 审核中), a page at a time; pull down to refresh.
 */
export default function ReviewQueuePage() {
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const [filter, setFilter] = useState<QueueFilter>('pending')
  const queue = useReviewQueue(filter, staff)

  usePullDownRefresh(() => {
    void queue.refetch().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void queue.loadMore()
  })

  if (!staff) {
    return (
      <AppPage className='review-page review-queue'>
        <PageState empty emptyTitle='审核队列仅供创业管家使用' emptyDescription='如需开通，请联系管理员' />
      </AppPage>
    )
  }

  const rows = (queue.data ?? []).flatMap((page) => page.rows)
  return (
    <AppPage className='review-page review-queue'>
      <View className='review-actions review-toolbar'>
        <Button className='queue-open-batches' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.reviewBatches)}>
          集中申报
        </Button>
        <Button className='queue-open-visits' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.visits)}>
          走访记录
        </Button>
      </View>
      <View className='review-chips'>
        {QUEUE_FILTERS.map((name) => (
          <Button
            key={name}
            className={`queue-filter${filter === name ? ' is-active' : ''}`}
            size='small'
            type={filter === name ? 'primary' : 'default'}
            fill={filter === name ? 'solid' : 'outline'}
            onClick={() => setFilter(name)}
          >
            {QUEUE_FILTER_LABELS[name]}
          </Button>
        ))}
      </View>
      <PageState
        query={queue}
        skeletonCards={2}
        skeletonRows={2}
        empty={rows.length === 0}
        emptyTitle={filter === 'pending' ? '没有待审核的申报' : '没有这类申报'}
        emptyDescription='职工提交的申报会出现在这里，下拉可以刷新'
      >
        {rows.map((row) => (
          <View
            key={row.id}
            className='review-card queue-application'
            hoverClass='review-card--pressed'
            onClick={() => void navigateTo(PAGES.reviewApplication, { id: row.id })}
          >
            <View className='review-head'>
              <Text className='review-title'>{row.programme_name}</Text>
              <ApplicationStatusTag status={row.status} />
            </View>
            <Text className='review-meta'>
              {row.applicant_name}
              {row.real_name_masked ? `（${row.real_name_masked}）` : ''} · {row.street}
            </Text>
            <Text className='review-meta'>
              申请 {formatYuan(row.requested_amount)} · 提交于 {formatDateTime(row.submitted_at)}
            </Text>
          </View>
        ))}
        {queue.hasMore && (
          <Button className='load-more' size='large' fill='outline' type='default' block loading={queue.loadingMore} onClick={() => void queue.loadMore()}>
            加载更多
          </Button>
        )}
      </PageState>
    </AppPage>
  )
}
