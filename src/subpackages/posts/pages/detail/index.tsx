import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Tag } from '../../../../components/nutui'
import { TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { PostView } from '../../../../components/post-view'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { currentPageLink } from '../../../../services/platform/page-link'
import { useBookmarked, useBookmarkMutation } from '../../../../services/posts/bookmarks'
import { useFollowedTags, useFollowMutation } from '../../../../services/posts/follows'
import { coverUrl, storageOrigin } from '../../../../services/posts/images'
import { INTEREST_SUCCESS, LEAD_STATUS_LABELS, useInterestMutation, useMyLeads } from '../../../../services/posts/leads'
import { usePost } from '../../../../services/posts/post-query'
import { asNodes } from '../../../../services/posts/rich-text'
import { changedFields, useRevisions } from '../../../../services/posts/revisions-query'
import { useRecordRead } from '../../../../services/posts/use-record-read'
import { showSuccessToast, TOAST_MS } from '../../../../services/query/use-app-mutation'
import { formatPostDate } from '../../../../utils/date'
import { navigateTo, switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'post-detail'
const IS_WEAPP = process.env.TARO_ENV === 'weapp'

async function askToSignIn(what: string): Promise<void> {
  const { confirm } = await Taro.showModal({ title: '请先登录', content: `登录后可以${what}。`, confirmText: '去登录', cancelText: '取消' })
  if (confirm) await switchTab('me')
}

/**
 * A post, as a worker reads it: the article (components/post-view), 收藏, 分享 (WeChat's share sheet in
 * the mini-program, a copied link on H5), 关注 beside each tag, and on projects 我感兴趣. Opening it
 * counts one read per person. Authors and admins also see the post's 修改记录.
 */
export default function PostDetailPage() {
  const router = useRouter()
  const id = router.params.id ? decodeURIComponent(router.params.id) : null
  const user = useSessionUser()
  const post = usePost(id)
  const data = post.data ?? null
  const canManage = !!user && !!data && (user.role === 'admin' || data.author_id === user.id)
  const revisions = useRevisions(id, canManage)
  const bookmarked = useBookmarked(id, !!user)
  const bookmark = useBookmarkMutation()
  const follows = useFollowedTags(!!user)
  const follow = useFollowMutation()
  const isWorkerOnProject = user?.role === 'worker' && data?.kind === 'project'
  const leads = useMyLeads(isWorkerOnProject)
  const interest = useInterestMutation()
  const [note, setNote] = useState('')
  const [interestDone, setInterestDone] = useState(false)
  const readCount = useRecordRead(data ? id : null, user?.id ?? null, true)

  usePullDownRefresh(() => {
    void Promise.all([post.refetch(), revisions.refetch()]).finally(() => Taro.stopPullDownRefresh())
  })

  useShareAppMessage(() => ({
    title: data?.title ?? '创业管家',
    path: `/${PAGES.postDetail}?id=${encodeURIComponent(id ?? '')}`,
  }))

  if (!id) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='没有找到这篇资讯' emptyDescription='链接不完整，请从首页重新打开' />
      </AppPage>
    )
  }

  const saved = bookmarked.data === true
  const toggleBookmark = async () => {
    if (!user) return askToSignIn('收藏资讯，在“我的收藏”里随时找到')
    const outcome = await bookmark.run({ postId: id, saved: !saved })
    if (outcome.ok) showSuccessToast(outcome.data ? '已收藏' : '已取消收藏')
  }

  const copyLink = async () => {
    const link = currentPageLink()
    try {
      await Taro.setClipboardData({ data: link })
      void Taro.showToast({ title: '链接已复制，可以粘贴发给朋友', icon: 'none', duration: TOAST_MS })
    } catch {
      // No clipboard access: show the link so it can be copied by hand.
      await Taro.showModal({ title: '分享链接', content: link, showCancel: false, confirmText: '知道了' })
    }
  }

  const followed = new Set(follows.data ?? [])
  const toggleFollow = async (tag: string) => {
    if (!user) return askToSignIn('关注标签，有新资讯时收到提醒')
    const following = followed.has(tag)
    const outcome = await follow.run({ tag, follow: !following })
    if (outcome.ok) showSuccessToast(following ? '已取消关注' : '已关注')
  }

  const myLead = (leads.data ?? []).find((lead) => lead.post_id === id && lead.worker_id === user?.id)
  const registerInterest = async () => {
    const { confirm } = await Taro.showModal({
      title: '我感兴趣',
      content: '确认后，创业管家会看到您的意向，并通过您绑定的手机号或创业群联系您。确认登记吗？',
      confirmText: '确认登记',
      cancelText: '再想想',
    })
    if (!confirm) return
    const outcome = await interest.run({ postId: id, note })
    if (outcome.ok) {
      setInterestDone(true)
      setNote('')
      showSuccessToast('已登记')
    }
  }

  const tags = data && data.tags.length > 0 && (
    <View className={`${classPrefix}__tags`}>
      <Text className={`${classPrefix}__tags-title`}>标签（关注后，有新资讯会提醒您）</Text>
      {data.tags.map((tag) => (
        <View key={tag} className={`${classPrefix}__tag post-tag`}>
          <Tag type='primary' plain className={`${classPrefix}__tag-name`} onClick={() => void navigateTo(PAGES.postTag, { tag })}>
            #{tag}
          </Tag>
          <Button
            className={`follow-tag ${followed.has(tag) ? 'is-following' : ''}`}
            size='small'
            type={followed.has(tag) ? 'default' : 'primary'}
            fill={followed.has(tag) ? 'outline' : 'solid'}
            disabled={follow.pending}
            onClick={() => void toggleFollow(tag)}
          >
            {followed.has(tag) ? '已关注' : '+ 关注'}
          </Button>
        </View>
      ))}
    </View>
  )

  const revisionList = canManage && (revisions.data ?? []).length > 0 && (
    <View className={`${classPrefix}__revisions post-revisions`}>
      <Text className={`${classPrefix}__revisions-title`}>修改记录</Text>
      {(revisions.data ?? []).map((revision) => (
        <Text key={revision.id} className={`${classPrefix}__revision`}>
          {formatPostDate(revision.created_at)} {revision.editor?.display_name ?? '系统'} 修改了{changedFields(revision.changes) || '内容'}
        </Text>
      ))}
    </View>
  )

  return (
    <AppPage className={classPrefix}>
      <PageState
        query={post}
        empty={post.data === null}
        emptyTitle='没有找到这篇资讯'
        emptyDescription='它可能已撤回，或不是发给您所在地区的'
        skeletonCards={2}
        skeletonRows={5}
      >
        {data && (
          <>
            {data.archived_at && <Text className={`${classPrefix}__archived`}>这篇资讯已归档，内容可能已经过时</Text>}
            {data.status === 'draft' && <Text className={`${classPrefix}__archived`}>草稿：只有您和管理员能看到</Text>}
            <PostView
              post={{
                ...data,
                body: asNodes(data.body_doc),
                coverUrl: coverUrl(data.cover_path),
                read_count: readCount ?? data.read_count,
                authorName: data.author?.display_name ?? null,
              }}
              storageOrigin={storageOrigin()}
              tags={tags}
              revisions={revisionList}
            />

            {isWorkerOnProject && (
              <View className={`${classPrefix}__interest project-interest`}>
                <Text className={`${classPrefix}__interest-title`}>对这个项目感兴趣？</Text>
                {myLead || interestDone ? (
                  <Text className={`${classPrefix}__interest-done interest-done`}>
                    {INTEREST_SUCCESS}
                    {myLead ? `（${LEAD_STATUS_LABELS[myLead.status as keyof typeof LEAD_STATUS_LABELS] ?? myLead.status}）` : ''}
                  </Text>
                ) : (
                  <>
                    <Text className={`${classPrefix}__interest-lead`}>登记后，创业管家会联系您，介绍项目详情和扶持政策。</Text>
                    <TextArea className={`${classPrefix}__note interest-note`} value={note} onChange={setNote} placeholder='想说的话（选填），如方便联系的时间' maxLength={200} />
                    <Button className='interest-button' type='primary' size='large' block loading={interest.pending} disabled={interest.pending} onClick={() => void registerInterest()}>
                      我感兴趣
                    </Button>
                  </>
                )}
              </View>
            )}

            <View className={`${classPrefix}__actions`}>
              <Button
                className={`bookmark-toggle ${saved ? 'is-saved' : ''}`}
                size='large'
                type={saved ? 'primary' : 'default'}
                fill={saved ? 'solid' : 'outline'}
                loading={bookmark.pending}
                disabled={bookmark.pending}
                onClick={() => void toggleBookmark()}
              >
                {saved ? '★ 已收藏' : '☆ 收藏'}
              </Button>
              {IS_WEAPP ? (
                <Button className='share-post' size='large' type='primary' openType='share'>
                  分享给朋友
                </Button>
              ) : (
                <Button className='share-post' size='large' type='primary' onClick={() => void copyLink()}>
                  复制链接
                </Button>
              )}
            </View>
          </>
        )}
      </PageState>
    </AppPage>
  )
}
