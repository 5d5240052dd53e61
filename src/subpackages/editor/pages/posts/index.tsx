import { useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Tag } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { POST_KIND_LABELS } from '../../../../constants/post-kinds'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useMyPosts } from '../../../../services/posts/my-posts-query'
import { POST_STAGE_LABELS, postStage, type PostStage } from '../../../../services/posts/post-status'
import { formatPostDate } from '../../../../utils/date'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'my-posts'

const STAGE_TAG: Record<PostStage, 'default' | 'warning' | 'success' | 'info'> = {
  draft: 'default',
  scheduled: 'warning',
  published: 'success',
  archived: 'info',
}

/**
 * 我的文章: what a butler or admin wrote, in every state (草稿, 定时发布, 已发布, 已归档), most recently
 * changed first, with 写文章 and, for butlers, 我的线索. Admins may list everyone's posts (全部文章).
 */
export default function MyPostsPage() {
  const user = useSessionUser()
  const staff = user?.role === 'butler' || user?.role === 'admin'
  const [scope, setScope] = useState<'mine' | 'all'>('mine')
  const posts = useMyPosts(user?.id ?? null, scope, staff)

  usePullDownRefresh(() => {
    void posts.refetch().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void posts.loadMore()
  })

  if (!user || !staff) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='只有创业管家和管理员可以管理资讯' />
      </AppPage>
    )
  }

  const list = posts.data ?? []
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__toolbar`}>
        <Button className='new-post' type='primary' size='normal' onClick={() => void navigateTo(PAGES.editorEdit)}>
          ✎ 写文章
        </Button>
        <Button className='open-leads' size='normal' fill='outline' type='primary' onClick={() => void navigateTo(PAGES.leads)}>
          {user.role === 'admin' ? '意向登记' : '我的线索'}
        </Button>
      </View>
      {user.role === 'admin' && (
        <View className={`${classPrefix}__scopes`}>
          <Tag className='scope-mine' type={scope === 'mine' ? 'primary' : 'default'} plain={scope !== 'mine'} onClick={() => setScope('mine')}>
            我写的
          </Tag>
          <Tag className='scope-all' type={scope === 'all' ? 'primary' : 'default'} plain={scope !== 'all'} onClick={() => setScope('all')}>
            全部文章
          </Tag>
        </View>
      )}
      <PageState query={posts} empty={list.length === 0} emptyTitle='还没有文章' emptyDescription='点“写文章”发布政策、创业项目、创业典型或通知'>
        <View className='my-post-list'>
          {list.map((post) => {
            const stage = postStage(post)
            return (
              <View key={post.id} className={`${classPrefix}__item my-post`} onClick={() => void navigateTo(PAGES.editorEdit, { id: post.id })}>
                <View className={`${classPrefix}__head`}>
                  <Tag type={STAGE_TAG[stage]} className='my-post-stage'>
                    {POST_STAGE_LABELS[stage]}
                  </Tag>
                  {post.pinned && <Tag type='danger'>置顶</Tag>}
                  <Text className={`${classPrefix}__kind`}>{POST_KIND_LABELS[post.kind]}</Text>
                  <Text className={`${classPrefix}__arrow`}>›</Text>
                </View>
                <Text className={`${classPrefix}__title my-post-title`}>{post.title}</Text>
                <Text className={`${classPrefix}__meta`}>
                  {stage === 'scheduled' && post.published_at
                    ? `将于 ${formatPostDate(post.published_at)} 发布`
                    : post.published_at
                      ? `发布于 ${formatPostDate(post.published_at)}`
                      : `修改于 ${formatPostDate(post.updated_at)}`}
                  {stage !== 'draft' ? ` · 阅读 ${post.read_count}` : ''}
                  {scope === 'all' && post.author ? ` · ${post.author.display_name}` : ''}
                </Text>
              </View>
            )
          })}
        </View>
        {posts.hasMore && (
          <Button className='load-more' size='large' fill='outline' type='default' block loading={posts.loadingMore} onClick={() => void posts.loadMore()}>
            加载更多
          </Button>
        )}
      </PageState>
    </AppPage>
  )
}
