import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { DEMO_LOGIN, PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError } from '../../../../services/errors'
import { refreshUnreadBadge } from '../../../../services/notifications/badge'
import { useMarkReadMutation } from '../../../../services/notifications/mark-read-mutation'
import type { NotificationItem } from '../../../../services/notifications/notifications-query'
import { requestMessageSubscriptions } from '../../../../services/notifications/request-subscriptions'
import { useNotifications } from '../../../../services/notifications/use-notifications'
import { showSuccessToast } from '../../../../services/query/use-app-mutation'
import { navigateTo, openLink } from '../../../../utils/navigation'
import { formatMessageTime } from './time'
import './index.scss'

const classPrefix = 'messages-page'
const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/**
 * 消息中心: the signed-in person's messages, unread first. Tapping one marks it read and opens what it is
 * about; 全部已读 marks them all. On WeChat, 开启消息提醒 asks to send subscription messages as well.
 */
export default function MessagesPage() {
  const user = useSessionUser()
  const messages = useNotifications(user?.id ?? null)
  const markRead = useMarkReadMutation()
  const [subscribing, setSubscribing] = useState(false)

  usePullDownRefresh(() => {
    void Promise.all([messages.refetch(), refreshUnreadBadge()]).finally(() => Taro.stopPullDownRefresh())
  })

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='您还没有登录'
          emptyDescription={DEMO_LOGIN ? '登录后可以查看消息通知' : '请回到“我的”页登录后查看消息通知'}
          emptyAction={
            DEMO_LOGIN && (
              <Button type='primary' size='large' onClick={() => void navigateTo(PAGES.demoLogin)}>
                选择演示账号登录
              </Button>
            )
          }
        />
      </AppPage>
    )
  }

  const list = messages.data ?? []
  const unread = list.filter((item) => item.read_at === null).length

  const open = async (item: NotificationItem) => {
    if (item.read_at === null && !(await markRead.run({ ids: [item.id] })).ok) return
    if (item.link) {
      try {
        await openLink(item.link)
      } catch {
        void Taro.showToast({ title: '页面暂时无法打开', icon: 'none' })
      }
    }
  }

  const markAll = async () => {
    if ((await markRead.run({ ids: null })).ok) showSuccessToast('已全部标为已读')
  }

  const subscribe = async () => {
    if (subscribing) return
    setSubscribing(true)
    try {
      const outcome = await requestMessageSubscriptions()
      if (outcome.kind === 'not-configured') {
        void Taro.showToast({ title: '消息提醒暂未开通', icon: 'none' })
      } else if (outcome.kind === 'done') {
        void Taro.showToast({
          title: outcome.accepted.length > 0 ? '已开启消息提醒' : '您未同意接收提醒',
          icon: outcome.accepted.length > 0 ? 'success' : 'none',
        })
      }
    } catch (error) {
      void Taro.showToast({ title: toAppError(error).message, icon: 'none' })
    } finally {
      setSubscribing(false)
    }
  }

  const toolbar = (
    <View className={`${classPrefix}__toolbar`}>
      <Text className={`${classPrefix}__summary`}>{unread > 0 ? `${unread} 条未读` : '没有未读消息'}</Text>
      <View className={`${classPrefix}__buttons`}>
        {IS_WEAPP && (
          <Button className='subscribe-messages' size='small' fill='outline' type='primary' loading={subscribing} onClick={() => void subscribe()}>
            开启消息提醒
          </Button>
        )}
        <Button
          className='mark-all-read'
          size='small'
          type='primary'
          disabled={unread === 0 || markRead.pending}
          loading={markRead.pending}
          onClick={() => void markAll()}
        >
          全部已读
        </Button>
      </View>
    </View>
  )

  return (
    <AppPage className={classPrefix}>
      {messages.data !== undefined && toolbar}
      <PageState
        query={messages}
        skeletonRows={2}
        empty={list.length === 0}
        emptyTitle='暂无消息'
        emptyDescription='审核结果、问答回复和账号变动会通知到这里'
      >
        <View className={`${classPrefix}__list`}>
          {list.map((item) => {
            const isUnread = item.read_at === null
            return (
              <View
                key={item.id}
                className={`message-item ${classPrefix}__item${isUnread ? ' is-unread' : ''}`}
                hoverClass={`${classPrefix}__item--pressed`}
                onClick={() => void open(item)}
              >
                <View className={`${classPrefix}__head`}>
                  {isUnread && <View className={`${classPrefix}__dot`} aria-label='未读' />}
                  <Text className={`message-title ${classPrefix}__title`}>{item.title}</Text>
                  <Text className={`${classPrefix}__time`}>{formatMessageTime(item.created_at)}</Text>
                </View>
                {item.body && <Text className={`message-body ${classPrefix}__body`}>{item.body}</Text>}
                <Text className={`${classPrefix}__state`}>{isUnread ? '未读' : '已读'}</Text>
              </View>
            )
          })}
        </View>
      </PageState>
    </AppPage>
  )
}
