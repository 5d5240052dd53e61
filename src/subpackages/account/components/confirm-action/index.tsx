import { useState, type FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { Button } from '../../../../components/nutui'
import './index.scss'

const classPrefix = 'confirm-action'

export interface ConfirmActionProps {
  /** The first button, e.g. 注销账号. */
  actionText: string
  /** What the second step asks, in large text, e.g. 注销后无法恢复，确定注销吗？ */
  question: string
  /** The second button, which does it, e.g. 确认注销. */
  confirmText: string
  /** While the change runs. */
  pending: boolean
  /** Why the last attempt failed, in Chinese. */
  error?: string | null
  onConfirm: () => void
  className?: string
}

/**
 * A change that cannot be undone, confirmed on the page itself: the first tap asks, the second does it.
 * The question is page text (not a system dialog), so it follows large-text mode; 再想想 steps back.
 */
export const ConfirmAction: FunctionComponent<ConfirmActionProps> = ({ actionText, question, confirmText, pending, error, onConfirm, className }) => {
  const [asking, setAsking] = useState(false)
  return (
    <View className={[classPrefix, className ?? ''].filter(Boolean).join(' ')}>
      {error && (
        <View className={`${classPrefix}__error`} role='alert'>
          <Text>{error}</Text>
        </View>
      )}
      {asking ? (
        <View className={`${classPrefix}__ask`}>
          <Text className={`${classPrefix}__question`}>{question}</Text>
          <Button className={`${classPrefix}__confirm`} type='danger' size='large' block loading={pending} disabled={pending} onClick={onConfirm}>
            {confirmText}
          </Button>
          <Button className={`${classPrefix}__cancel`} size='large' block fill='outline' disabled={pending} onClick={() => setAsking(false)}>
            再想想
          </Button>
        </View>
      ) : (
        <Button className={`${classPrefix}__start`} type='danger' fill='outline' size='large' block onClick={() => setAsking(true)}>
          {actionText}
        </Button>
      )}
    </View>
  )
}

ConfirmAction.displayName = 'ConfirmAction'
