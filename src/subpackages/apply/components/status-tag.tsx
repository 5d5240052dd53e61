import type { FunctionComponent } from 'react'
import { Text } from '@tarojs/components'
import { APPLICATION_STATUS_LABELS, type ApplicationStatus } from '../../../services/applications/labels'
import './status-tag.scss'

const classPrefix = 'application-status'

/** An application's state as a coloured tag: 草稿, 已提交, 审核中, 待补正, 已通过, 未通过, 已申报, 已发放, 未发放. */
export const StatusTag: FunctionComponent<{ status: ApplicationStatus; className?: string }> = ({ status, className }) => (
  <Text className={[classPrefix, `${classPrefix}--${status}`, className ?? ''].filter(Boolean).join(' ')}>{APPLICATION_STATUS_LABELS[status]}</Text>
)

StatusTag.displayName = 'StatusTag'
