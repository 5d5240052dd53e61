import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../components/app-page'
import { Button, Empty, Skeleton } from '../../components/nutui'
import { PostItem } from '../../components/post-item'
import { useFeed } from '../../services/posts/use-feed'
import './index.scss'

const classPrefix = 'home'

/** The home tab: policy news, startup projects, founder stories and notices, pinned ones first. */
export default function HomePage() {
  const feed = useFeed()

  usePullDownRefresh(() => {
    void feed.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (feed.status === 'loading') {
    return (
      <AppPage className={classPrefix} aria-busy='true'>
        {[0, 1, 2].map((i) => (
          <View key={i} className={`${classPrefix}__skeleton`}>
            <Skeleton rows={3} animated />
          </View>
        ))}
      </AppPage>
    )
  }

  if (feed.status === 'error') {
    return (
      <AppPage className={classPrefix}>
        <Empty status='error' image={<View className={`${classPrefix}__state-image`} />} title={feed.error?.message}>
          <Button type='primary' size='large' loading={feed.isFetching} onClick={() => void feed.refetch()}>
            重新加载
          </Button>
        </Empty>
      </AppPage>
    )
  }

  const posts = feed.data ?? []
  return (
    <AppPage className={classPrefix}>
      {feed.error && (
        <View className={`${classPrefix}__stale`}>
          <Text>{feed.error.message}</Text>
          <Button size='small' fill='outline' type='primary' onClick={() => void feed.refetch()}>
            重试
          </Button>
        </View>
      )}
      {posts.length === 0 ? (
        <Empty
          image={<View className={`${classPrefix}__state-image`} />}
          title='还没有发布的资讯'
          description='政策、创业项目和通知发布后会显示在这里，下拉可以刷新'
        />
      ) : (
        <View className='post-feed'>
          {posts.map((post) => (
            <PostItem key={post.id} post={post} />
          ))}
        </View>
      )}
    </AppPage>
  )
}
