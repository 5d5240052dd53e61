import { useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../components/app-page'
import { Button, Tag } from '../../components/nutui'
import { PageState } from '../../components/page-state'
import { PostItem } from '../../components/post-item'
import { POST_KIND_LABELS, POST_KINDS, type PostKind } from '../../constants/post-kinds'
import { FEED_FILTER_TAGS } from '../../constants/post-tags'
import { PAGES } from '../../constants/routes'
import { useSessionUser } from '../../services/auth/use-session'
import type { FeedFilter } from '../../services/posts/keys'
import { useFeed } from '../../services/posts/use-feed'
import { navigateTo } from '../../utils/navigation'
import './index.scss'

const classPrefix = 'home'

function Chip({ label, active, onClick, className }: { label: string; active: boolean; onClick: () => void; className: string }) {
  return (
    <Tag
      className={`${classPrefix}__chip ${className}${active ? ` ${classPrefix}__chip--active` : ''}`}
      type={active ? 'primary' : 'default'}
      plain={!active}
      onClick={onClick}
    >
      {label}
    </Tag>
  )
}

/**
 * The home tab: the search box, filters by kind and tag, then policy news, startup projects, founder
 * stories and notices of the person's region and 全市, pinned first, newest next, 20 at a time
 * (加载更多, or reaching the bottom). Staff get a 写文章 entry.
 */
export default function HomePage() {
  const user = useSessionUser()
  const [filter, setFilter] = useState<FeedFilter>({ kind: null, tag: null })
  const feed = useFeed(filter)
  const staff = user?.role === 'butler' || user?.role === 'admin'

  usePullDownRefresh(() => {
    void feed.refetch().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void feed.loadMore()
  })

  const setKind = (kind: PostKind | null) => setFilter((previous) => ({ ...previous, kind }))
  const setTag = (tag: string | null) => setFilter((previous) => ({ ...previous, tag: previous.tag === tag ? null : tag }))
  const filtered = filter.kind !== null || filter.tag !== null
  const posts = feed.data ?? []

  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__search search-entry`} onClick={() => void navigateTo(PAGES.postSearch)} role='search'>
        <View className={`${classPrefix}__search-icon`} />
        <Text className={`${classPrefix}__search-text`}>搜索政策、项目，如“担保贷款”</Text>
      </View>

      {staff && (
        <View className={`${classPrefix}__staff`}>
          <Button className='write-post' size='small' type='primary' fill='outline' onClick={() => void navigateTo(PAGES.editorEdit)}>
            ✎ 写文章
          </Button>
        </View>
      )}

      <View className={`${classPrefix}__filters feed-kinds`}>
        <Chip className='feed-kind' label='全部' active={filter.kind === null} onClick={() => setKind(null)} />
        {POST_KINDS.map((kind) => (
          <Chip key={kind} className='feed-kind' label={POST_KIND_LABELS[kind]} active={filter.kind === kind} onClick={() => setKind(kind)} />
        ))}
      </View>
      <View className={`${classPrefix}__filters feed-tags`}>
        {FEED_FILTER_TAGS.map((tag) => (
          <Chip key={tag} className='feed-tag' label={`#${tag}`} active={filter.tag === tag} onClick={() => setTag(tag)} />
        ))}
      </View>

      <PageState
        query={feed}
        empty={posts.length === 0}
        emptyTitle={filtered ? '没有符合条件的资讯' : '还没有发布的资讯'}
        emptyDescription={filtered ? '换个类型或标签看看' : '政策、创业项目和通知发布后会显示在这里，下拉可以刷新'}
      >
        <View className='post-feed'>
          {posts.map((post) => (
            <PostItem
              key={post.id}
              post={{ ...post, authorName: post.author?.display_name ?? null, authorAvatar: post.author?.avatar_path ?? null }}
            />
          ))}
        </View>
        <View className={`${classPrefix}__more`}>
          {feed.hasMore ? (
            <Button className='load-more' size='large' fill='outline' type='default' block loading={feed.loadingMore} onClick={() => void feed.loadMore()}>
              加载更多
            </Button>
          ) : (
            posts.length > 0 && <Text className={`${classPrefix}__end`}>没有更多了</Text>
          )}
        </View>
      </PageState>
    </AppPage>
  )
}
