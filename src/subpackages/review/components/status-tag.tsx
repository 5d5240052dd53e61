import type { FunctionComponent } from 'react'
import { Tag } from '../../../components/nutui'
import { APPLICATION_STATUS_LABELS, APPLICATION_STATUS_TONES, BATCH_STATUS_LABELS, type ApplicationStatus, type BatchStatus } from '../../../services/review/labels'

/** An application's status as a tag: 已提交, 审核中, 待补正 … */
export const ApplicationStatusTag: FunctionComponent<{ status: string; className?: string }> = ({ status, className }) => (
  <Tag className={['application-status', className ?? ''].join(' ').trim()} type={APPLICATION_STATUS_TONES[status as ApplicationStatus] ?? 'default'}>
    {APPLICATION_STATUS_LABELS[status as ApplicationStatus] ?? status}
  </Tag>
)
ApplicationStatusTag.displayName = 'ApplicationStatusTag'

const BATCH_TONES: Record<BatchStatus, 'primary' | 'warning' | 'success' | 'default'> = { open: 'primary', locked: 'warning', filed: 'success', closed: 'default' }

/** A batch's status as a tag: 收件中, 已截止(公示中), 已申报, 已办结. */
export const BatchStatusTag: FunctionComponent<{ status: string; className?: string }> = ({ status, className }) => (
  <Tag className={['batch-status', className ?? ''].join(' ').trim()} type={BATCH_TONES[status as BatchStatus] ?? 'default'}>
    {BATCH_STATUS_LABELS[status as BatchStatus] ?? status}
  </Tag>
)
BatchStatusTag.displayName = 'BatchStatusTag'
