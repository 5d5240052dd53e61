import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PostItem } from '../../../../components/post-item'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useBookmarks } from '../../../../services/posts/bookmarks'
import { switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'bookmarks-page'

/** 我的收藏: the posts the person saved, newest first; an archived one stays, marked 已归档. */
export default function BookmarksPage() {
  const user = useSessionUser()
  const bookmarks = useBookmarks(!!user)

  usePullDownRefresh(() => {
    void bookmarks.refetch().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void bookmarks.loadMore()
  })

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='您还没有登录'
          emptyDescription='登录后可以收藏资讯，在这里随时找到'
          emptyAction={
            <Button type='primary' size='large' onClick={() => void switchTab('me')}>
              去登录
            </Button>
          }
        />
      </AppPage>
    )
  }

  const list = bookmarks.data ?? []
  return (
    <AppPage className={classPrefix}>
      <PageState
        query={bookmarks}
        empty={list.length === 0}
        emptyTitle='还没有收藏'
        emptyDescription='在资讯页点“收藏”，就能在这里找到'
        emptyAction={
          <Button type='primary' size='large' onClick={() => void switchTab('home')}>
            去首页看看
          </Button>
        }
      >
        <View className='bookmark-list'>
          {list.map((post) => (
            <PostItem
              key={post.id}
              className='bookmark-item'
              post={{ ...post, authorName: post.author_name, note: post.archived_at ? '已归档' : null }}
            />
          ))}
        </View>
        {bookmarks.hasMore && (
          <Button className='load-more' size='large' fill='outline' type='default' block loading={bookmarks.loadingMore} onClick={() => void bookmarks.loadMore()}>
            加载更多
          </Button>
        )}
      </PageState>
    </AppPage>
  )
}
