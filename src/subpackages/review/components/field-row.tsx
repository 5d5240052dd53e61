import type { FunctionComponent, ReactNode } from 'react'
import { Text, View } from '@tarojs/components'

/** One labelled value of an application or a batch: 身份证号 3201**********1234 [查看]. */
export const FieldRow: FunctionComponent<{ label: string; value: ReactNode; action?: ReactNode; className?: string }> = ({ label, value, action, className }) => (
  <View className={['review-field', className ?? ''].join(' ').trim()}>
    <Text className='review-field__label'>{label}</Text>
    <Text className='review-field__value'>{value === null || value === undefined || value === '' ? '未填写' : value}</Text>
    {action}
  </View>
)
FieldRow.displayName = 'FieldRow'
