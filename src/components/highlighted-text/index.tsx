import type { FunctionComponent } from 'react'
import { Text } from '@tarojs/components'
import { highlightSegments } from '../../services/posts/highlight'

export interface HighlightedTextProps {
  text: string
  /** The search; its terms are marked (class `search-hit`). Empty: the text as it is. */
  query?: string
  className?: string
}

/** A text with the words searched for marked, for search results (find 担保 in 创业担保贷款贴息). */
export const HighlightedText: FunctionComponent<HighlightedTextProps> = ({ text, query = '', className }) => {
  if (query.trim() === '') return <Text className={className}>{text}</Text>
  return (
    <Text className={className}>
      {highlightSegments(text, query).map((segment, i) =>
        segment.hit ? (
          <Text key={i} className='search-hit'>
            {segment.text}
          </Text>
        ) : (
          segment.text
        ),
      )}
    </Text>
  )
}

HighlightedText.displayName = 'HighlightedText'
