import type { FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { POST_KIND_LABELS } from '../../constants/post-kinds'
import type { FeedPost } from '../../services/posts/posts-query'
import { formatPostDate } from '../../utils/date'
import { Avatar } from '../avatar'
import { Cell, Tag } from '../nutui'
import './index.scss'

export interface PostItemProps {
  post: FeedPost
  className?: string
}

const classPrefix = 'post-item'

/** One post in a feed: kind and pinned tags, title, summary, date and author. */
export const PostItem: FunctionComponent<PostItemProps> = ({ post, className }) => {
  const author = post.author?.display_name
  return (
    <Cell className={className ? `${classPrefix} ${className}` : classPrefix}>
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
        <Text className='post-title'>{post.title}</Text>
        {post.summary !== '' && <Text className={`${classPrefix}__summary`}>{post.summary}</Text>}
        <View className={`${classPrefix}__meta`}>
          {post.published_at && <Text>{formatPostDate(post.published_at)}</Text>}
          {author && (
            <View className={`${classPrefix}__byline`}>
              <Avatar path={post.author?.avatar_path} name={author} size='small' className={`${classPrefix}__avatar`} />
              <Text className={`${classPrefix}__author`}>{author}</Text>
            </View>
          )}
        </View>
      </View>
    </Cell>
  )
}

PostItem.displayName = 'PostItem'
