import type { FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { APPLICATION_STATUS_HINTS, APPLICATION_STATUS_LABELS, type ApplicationStatus } from '../../../services/applications/labels'
import { formatDateTime } from '../../../utils/date'
import './timeline.scss'

export interface TimelineEvent {
  id: number | string
  from_status: ApplicationStatus | null
  to_status: ApplicationStatus
  note: string | null
  created_at: string
}

const classPrefix = 'application-timeline'

/** What a step is called: a return from 待补正 is a 重新提交, anything else the state it reached. */
function stepLabel(event: TimelineEvent): string {
  if (event.to_status === 'submitted' && event.from_status === 'needs_supplement') return '已重新提交'
  if (event.to_status === 'draft') return '创建草稿'
  return APPLICATION_STATUS_LABELS[event.to_status]
}

/** The application's history (application_events), oldest first: each step with its time and note. */
export const Timeline: FunctionComponent<{ events: readonly TimelineEvent[] }> = ({ events }) => {
  if (events.length === 0) return <Text className={`${classPrefix}__empty`}>还没有提交，提交后可以在这里看到每一步的进度</Text>
  return (
    <View className={classPrefix}>
      {events.map((event, n) => (
        <View key={event.id} className={`timeline-step ${classPrefix}__step ${n === events.length - 1 ? `${classPrefix}__step--last` : ''}`}>
          <View className={`${classPrefix}__dot ${classPrefix}__dot--${event.to_status}`} />
          <View className={`${classPrefix}__body`}>
            <Text className={`timeline-label ${classPrefix}__label`}>{stepLabel(event)}</Text>
            <Text className={`${classPrefix}__time`}>{formatDateTime(event.created_at)}</Text>
            {n === events.length - 1 && <Text className={`${classPrefix}__hint`}>{APPLICATION_STATUS_HINTS[event.to_status]}</Text>}
            {event.note && <Text className={`${classPrefix}__note`}>{event.note}</Text>}
          </View>
        </View>
      ))}
    </View>
  )
}

Timeline.displayName = 'Timeline'
