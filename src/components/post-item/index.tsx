import type { FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { POST_KIND_LABELS, type PostKind } from '../../constants/post-kinds'
import { PAGES } from '../../constants/routes'
import { formatPostDate } from '../../utils/date'
import { Avatar } from '../avatar'
import { navigateTo } from '../../utils/navigation'
import { HighlightedText } from '../highlighted-text'
import { Cell, Tag } from '../nutui'
import './index.scss'

/** What a list of posts shows of each (the feed, search, 我的收藏). */
export interface PostSummary {
  id: string
  kind: PostKind
  title: string
  summary: string
  pinned: boolean
  published_at: string | null
  authorName?: string | null
  /** The author's avatar (avatars bucket), shown beside the name. */
  authorAvatar?: string | null
  /** Shown instead of the summary (e.g. where a search found the words in the body). */
  excerpt?: string | null
  /** A note under the date (e.g. 已归档). */
  note?: string | null
}

export interface PostItemProps {
  post: PostSummary
  /** Marks these words in the title and summary (search results). */
  highlight?: string
  className?: string
}

const classPrefix = 'post-item'

/** One post in a list: kind and pinned tags, title, summary, date and author. Tapping it opens the post. */
export const PostItem: FunctionComponent<PostItemProps> = ({ post, highlight, className }) => {
  const open = () => void navigateTo(PAGES.postDetail, { id: post.id })
  return (
    <Cell className={className ? `${classPrefix} ${className}` : classPrefix} clickable onClick={open}>
      <View className={`${classPrefix}__body`}>
        <View className={`${classPrefix}__tags`}>
          {post.pinned && (
            <Tag type='danger' className={`${classPrefix}__pinned`}>
              置顶
            </Tag>
          )}
          <Tag type='default' plain className={`${classPrefix}__kind`}>
            {POST_KIND_LABELS[post.kind]}
          </Tag>
        </View>
        <HighlightedText className='post-title' text={post.title} query={highlight} />
        {(post.excerpt ?? post.summary) !== '' && (
          <HighlightedText className={`${classPrefix}__summary`} text={post.excerpt ?? post.summary} query={highlight} />
        )}
        <View className={`${classPrefix}__meta`}>
          {post.published_at && <Text>{formatPostDate(post.published_at)}</Text>}
          {post.note && <Text className={`${classPrefix}__note`}>{post.note}</Text>}
          {post.authorName && (
            <View className={`${classPrefix}__byline`}>
              <Avatar path={post.authorAvatar} name={post.authorName} size='small' className={`${classPrefix}__avatar`} />
              <Text className={`${classPrefix}__author`}>{post.authorName}</Text>
            </View>
          )}
        </View>
      </View>
    </Cell>
  )
}

PostItem.displayName = 'PostItem'
