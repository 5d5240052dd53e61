import type { FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import './index.scss'

const classPrefix = 'points'

export interface PointsProps {
  heading: string
  points: readonly string[]
  /** 'erase' marks what goes, 'keep' what stays; plain otherwise. */
  tone?: 'erase' | 'keep' | 'plain'
  className?: string
}

/** A heading and short sentences, one per line, in large readable text: what a change does. */
export const Points: FunctionComponent<PointsProps> = ({ heading, points, tone = 'plain', className }) => (
  <View className={[classPrefix, `${classPrefix}--${tone}`, className ?? ''].filter(Boolean).join(' ')}>
    <Text className={`${classPrefix}__heading`}>{heading}</Text>
    {points.map((point) => (
      <Text key={point} className={`${classPrefix}__point`}>
        {point}
      </Text>
    ))}
  </View>
)

Points.displayName = 'Points'
