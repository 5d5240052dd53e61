import { useEffect } from 'react'
import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PostItem } from '../../../../components/post-item'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useFollowedTags, useFollowMutation } from '../../../../services/posts/follows'
import { useFeed } from '../../../../services/posts/use-feed'
import { showSuccessToast } from '../../../../services/query/use-app-mutation'
import { switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'tag-page'

/** One tag: 关注 / 取消关注 it (new posts with it land in 消息中心), and its posts, newest first. */
export default function TagPage() {
  const router = useRouter()
  const tag = decodeURIComponent(router.params.tag ?? '').trim()
  const user = useSessionUser()
  const feed = useFeed({ kind: null, tag: tag || null })
  const follows = useFollowedTags(!!user)
  const follow = useFollowMutation()
  const following = (follows.data ?? []).includes(tag)

  useEffect(() => {
    if (tag) void Taro.setNavigationBarTitle({ title: `#${tag}` })
  }, [tag])
  usePullDownRefresh(() => {
    void feed.refetch().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void feed.loadMore()
  })

  const toggle = async () => {
    if (!user) {
      const { confirm } = await Taro.showModal({ title: '请先登录', content: '登录后可以关注标签，有新资讯时收到提醒。', confirmText: '去登录' })
      if (confirm) await switchTab('me')
      return
    }
    const outcome = await follow.run({ tag, follow: !following })
    if (outcome.ok) showSuccessToast(following ? '已取消关注' : '已关注')
  }

  const posts = feed.data ?? []
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__head`}>
        <View>
          <Text className={`${classPrefix}__name`}>#{tag}</Text>
          <Text className={`${classPrefix}__hint`}>关注后，有带这个标签的新资讯会在消息中心提醒您</Text>
        </View>
        <Button
          className={`follow-tag ${following ? 'is-following' : ''}`}
          type={following ? 'default' : 'primary'}
          fill={following ? 'outline' : 'solid'}
          loading={follow.pending}
          disabled={follow.pending || !tag}
          onClick={() => void toggle()}
        >
          {following ? '已关注' : '+ 关注'}
        </Button>
      </View>
      <PageState query={feed} empty={posts.length === 0} emptyTitle='这个标签下还没有资讯'>
        <View className='post-feed'>
          {posts.map((post) => (
            <PostItem key={post.id} post={{ ...post, authorName: post.author?.display_name ?? null, authorAvatar: post.author?.avatar_path ?? null }} />
          ))}
        </View>
        {feed.hasMore && (
          <Button className='load-more' size='large' fill='outline' type='default' block loading={feed.loadingMore} onClick={() => void feed.loadMore()}>
            加载更多
          </Button>
        )}
      </PageState>
    </AppPage>
  )
}
