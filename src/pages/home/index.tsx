import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { AppPage } from '../../components/app-page'
import { PageState } from '../../components/page-state'
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

  const posts = feed.data ?? []
  return (
    <AppPage className={classPrefix}>
      <PageState
        query={feed}
        empty={posts.length === 0}
        emptyTitle='还没有发布的资讯'
        emptyDescription='政策、创业项目和通知发布后会显示在这里，下拉可以刷新'
      >
        <View className='post-feed'>
          {posts.map((post) => (
            <PostItem key={post.id} post={post} />
          ))}
        </View>
      </PageState>
    </AppPage>
  )
}
