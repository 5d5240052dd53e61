import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { dueLabel } from '../../../../services/groups/timeline'
import { useButlerQueue, useDeskSummary, type DeskSummaryRow } from '../../../../services/questions/desk-queries'
import { filterQueue, QUEUE_FILTER_LABELS, type QueueFilter } from '../../../../services/questions/types'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'butler-desk'
const FILTERS: readonly QueueFilter[] = ['mine', 'overdue', 'unassigned']

function percent(share: number | string | null): string {
  if (share === null) return '—'
  return `${Math.round(Number(share) * 100)}%`
}

/** One group's numbers, with its roster and management. */
function GroupSummaryCard({ row }: { row: DeskSummaryRow }) {
  return (
    <View className={`desk-summary ${classPrefix}__group`}>
      <Text className={`${classPrefix}__group-name`}>{row.group_name}</Text>
      <View className={`${classPrefix}__numbers`}>
        <View className={`${classPrefix}__number`}>
          <Text className={`${classPrefix}__value`}>{row.open_count}</Text>
          <Text className={`${classPrefix}__caption`}>待解答</Text>
        </View>
        <View className={`${classPrefix}__number`}>
          <Text className={`${classPrefix}__value ${row.overdue_count > 0 ? `${classPrefix}__value--alert` : ''}`}>{row.overdue_count}</Text>
          <Text className={`${classPrefix}__caption`}>已超时</Text>
        </View>
        <View className={`${classPrefix}__number`}>
          <Text className={`${classPrefix}__value`}>{row.median_first_answer_minutes === null ? '—' : `${row.median_first_answer_minutes}分`}</Text>
          <Text className={`${classPrefix}__caption`}>首次答复中位数</Text>
        </View>
        <View className={`${classPrefix}__number`}>
          <Text className={`${classPrefix}__value`}>{percent(row.answered_within_target_this_week)}</Text>
          <Text className={`${classPrefix}__caption`}>本周按时答复</Text>
        </View>
      </View>
      <View className={`${classPrefix}__group-actions`}>
        <Button size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.groupChat, { id: row.group_id })}>
          进群
        </Button>
        <Button className='open-roster' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.roster, { group: row.group_id })}>
          值班表
        </Button>
        <Button className='open-manage' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.groupManage, { id: row.group_id })}>
          群管理
        </Button>
        <Button className='open-faq' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.faqManage, { group: row.group_id })}>
          常见问题
        </Button>
      </View>
    </View>
  )
}

/**
 * 管家工作台: the question queue of my groups (我的 / 已超时 / 未分配, soonest due first) and each group's
 * numbers (open, overdue, median first answer, share answered within target this week) with links to
 * its roster and management. For butlers and admins; the database shows others nothing.
 */
export default function ButlerDeskPage() {
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const queue = useButlerQueue(staff)
  const summary = useDeskSummary(staff)
  const [filter, setFilter] = useState<QueueFilter>('mine')

  usePullDownRefresh(() => {
    void Promise.all([queue.refetch(), summary.refetch()]).finally(() => Taro.stopPullDownRefresh())
  })

  if (!staff) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='工作台仅供创业管家使用' emptyDescription='如需开通，请联系管理员' />
      </AppPage>
    )
  }

  const all = queue.data ?? []
  const shown = filterQueue(all, filter)
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__tabs`}>
        {FILTERS.map((name) => (
          <View
            key={name}
            className={`queue-tab ${classPrefix}__tab${filter === name ? ` ${classPrefix}__tab--active is-active` : ''}`}
            onClick={() => setFilter(name)}
          >
            <Text>
              {QUEUE_FILTER_LABELS[name]}（{filterQueue(all, name).length}）
            </Text>
          </View>
        ))}
      </View>
      <PageState query={queue} skeletonCards={2} skeletonRows={2} empty={shown.length === 0} emptyTitle='没有待办的问题' emptyDescription='新的提问会按值班表分配，超时的问题也会显示在这里'>
        {shown.map((item) => (
          <View
            key={item.id}
            className={`queue-item ${classPrefix}__item${item.is_overdue ? ' is-overdue' : ''}`}
            hoverClass={`${classPrefix}__item--pressed`}
            onClick={() => void navigateTo(PAGES.question, { id: item.id })}
          >
            <Text className={`queue-item-title ${classPrefix}__title`}>{item.title}</Text>
            <Text className={`${classPrefix}__meta`}>
              {item.group_name} · {item.asker_name ?? ''} · {item.owner_name ? `负责：${item.owner_name}` : '未分配'}
            </Text>
            <Text className={`${classPrefix}__meta ${item.is_overdue ? `${classPrefix}__meta--alert` : ''}`}>
              {item.is_overdue ? '已超时' : '应答复时间'} {dueLabel(item.due_at)}
              {item.reopened_count > 0 ? ` · 追问${item.reopened_count}次` : ''}
            </Text>
          </View>
        ))}
      </PageState>

      <Text className={`${classPrefix}__section`}>补贴申报</Text>
      <View className={`${classPrefix}__leads ${classPrefix}__applications`}>
        <Text className={`${classPrefix}__meta`}>审核本群职工的补贴申报，按月集中申报，记录孵化基地走访。</Text>
        <View className={`${classPrefix}__group-actions`}>
          <Button className='desk-open-review' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.reviewQueue)}>
            审核队列
          </Button>
          <Button className='desk-open-batches' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.reviewBatches)}>
            集中申报
          </Button>
          <Button className='desk-open-visits' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.visits)}>
            走访记录
          </Button>
        </View>
      </View>

      <Text className={`${classPrefix}__section`}>项目意向</Text>
      <View className={`${classPrefix}__leads`}>
        <Text className={`${classPrefix}__meta`}>职工在创业项目上点了“我感兴趣”，会分给值班管家，请尽快联系。</Text>
        <Button className='desk-open-leads' size='small' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.leads)}>
          我的线索
        </Button>
      </View>

      <Text className={`${classPrefix}__section`}>我管理的创业群</Text>
      <PageState query={summary} skeletonCards={1} empty={(summary.data ?? []).length === 0} emptyTitle='您还不是任何创业群的管家' emptyDescription='管理员把您设为群管家后，群会显示在这里'>
        {(summary.data ?? []).map((row) => (
          <GroupSummaryCard key={row.group_id} row={row} />
        ))}
      </PageState>
    </AppPage>
  )
}
