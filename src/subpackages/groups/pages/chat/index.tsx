import { useEffect, useMemo, useRef, useState } from 'react'
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro'
import { ScrollView, Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { chatOutbox, useOutbox } from '../../../../services/groups/chat-outbox'
import { canWithdraw, type ChatMessage } from '../../../../services/groups/chat-types'
import { useGroup, useGroupMembers } from '../../../../services/groups/group-queries'
import { useWithdrawMutation } from '../../../../services/groups/withdraw-mutation'
import { useConvertMessageMutation } from '../../../../services/questions/question-mutations'
import type { OutboxEntry, OutgoingDraft } from '../../../../services/groups/outbox'
import { groupShareCard, shareGroupOnH5 } from '../../../../services/groups/share'
import { groupRows } from '../../../../services/groups/timeline'
import { useGroupChat } from '../../../../services/groups/use-group-chat'
import { voicePlayer } from '../../../../services/groups/voice'
import { navigateTo } from '../../../../utils/navigation'
import { Composer } from '../../components/composer'
import { MessageBubble, OutgoingBubble } from '../../components/message-bubble'
import './index.scss'

const classPrefix = 'group-chat'
/**
 * The message list is a scrolling region of its own: on H5 it takes the keyboard focus (so it can be
 * scrolled without a pointer) and is named, as a chat log, for screen readers. Taro's props do not list
 * these attributes; the mini-program ignores them.
 */
const MESSAGE_LIST_A11Y = { tabIndex: 0, role: 'log', 'aria-label': '群消息' }
const IS_WEAPP = process.env.TARO_ENV === 'weapp'
const BOTTOM = 'chat-bottom'

/**
 * A group's messages, newest at the bottom. Scrolling (or 查看更早的消息) to the top loads older pages;
 * while shown, only what is new is fetched every few seconds. My unsent messages show at the bottom as
 * 发送中 or with 重发; a long press on one of mine within 2 minutes offers 撤回. 提问 opens the question
 * form with similar answered questions; 邀请 shares the group's card (a link on H5).
 */
export default function GroupChatPage() {
  const router = useRouter()
  const groupId = router.params.id ?? null
  const user = useSessionUser()
  const me = user?.id ?? null
  const group = useGroup(groupId)
  const members = useGroupMembers(groupId)
  const chat = useGroupChat(groupId, me)
  const outgoing = useOutbox(groupId, me)
  const withdraw = useWithdrawMutation(groupId ?? '')
  const convert = useConvertMessageMutation()
  const [anchor, setAnchor] = useState<string>(BOTTOM)

  const rows = chat.query.data?.rows
  const items = useMemo(() => groupRows(rows ?? [], me), [rows, me])
  const butlers = useMemo(
    () => (members.data ?? []).filter((m) => m.role === 'butler').map((m) => ({ user_id: m.user_id, display_name: m.display_name })),
    [members.data],
  )

  const butlerIds = useMemo(() => new Set(butlers.map((b) => b.user_id)), [butlers])
  const iAmButler = me !== null && butlerIds.has(me)

  useEffect(() => {
    if (group.data) void Taro.setNavigationBarTitle({ title: group.data.name })
  }, [group.data])

  // Follow the bottom when something new arrives there or I send.
  const newest = rows?.[rows.length - 1]?.id
  const lastScrolled = useRef<string | undefined>(undefined)
  useEffect(() => {
    if (newest === lastScrolled.current && outgoing.length === 0) return
    lastScrolled.current = newest
    setAnchor('')
    const timer = setTimeout(() => setAnchor(BOTTOM), 0)
    return () => clearTimeout(timer)
  }, [newest, outgoing.length])

  useEffect(() => () => voicePlayer.stop(), [])

  useShareAppMessage(() => groupShareCard(group.data ?? null))

  const loadOlder = async () => {
    const first = rows?.[0]?.id
    const loaded = await chat.loadOlder()
    // Keep the message that was on top in view instead of jumping to the oldest.
    if (loaded && first) {
      setAnchor('')
      setTimeout(() => setAnchor(`m-${first}`), 0)
    }
  }

  const send = (draft: OutgoingDraft) => {
    if (!me) return
    void chatOutbox.submit(draft, me)
  }

  const retry = (entry: OutboxEntry) => void chatOutbox.retry(entry.id)

  const discard = async (entry: OutboxEntry) => {
    const { confirm } = await Taro.showModal({ title: '删除这条消息', content: '这条消息没有发出去，删除后不再重发。', confirmText: '删除' })
    if (confirm) chatOutbox.discard(entry.id)
  }

  const messageMenu = async (message: ChatMessage) => {
    const actions: Array<{ label: string; run: () => Promise<unknown> }> = []
    if (message.kind === 'text' && message.body) actions.push({ label: '复制', run: () => Taro.setClipboardData({ data: message.body! }) })
    if (canWithdraw(message, me)) actions.push({ label: '撤回', run: () => withdraw.run(message.id) })
    // A butler turns a member's message into that member's question (it then has an owner and a due time).
    if (iAmButler && message.kind === 'text' && !message.withdrawn && message.sender_id !== me && !butlerIds.has(message.sender_id ?? '')) {
      actions.push({
        label: '转为提问',
        run: async () => {
          const outcome = await convert.run(message.id)
          if (outcome.ok && outcome.data) await navigateTo(PAGES.question, { id: outcome.data.id })
        },
      })
    }
    if (actions.length === 0) return
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: actions.map((a) => a.label) })
      await actions[tapIndex]?.run()
    } catch {
      // Cancelled.
    }
  }

  if (!groupId) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='没有找到这个创业群' emptyDescription='请从“创业群”页进入' />
      </AppPage>
    )
  }

  const archived = Boolean(group.data?.archived_at)
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__bar`}>
        <Text className={`${classPrefix}__district`}>{group.data?.district ?? ''}</Text>
        <View className={`${classPrefix}__bar-actions`}>
          <Button className='group-ask-list' size='small' fill='outline' type='default' onClick={() => void navigateTo(PAGES.myQuestions)}>
            我的提问
          </Button>
          <Button
            className='group-invite'
            size='small'
            fill='outline'
            type='primary'
            openType={IS_WEAPP ? 'share' : undefined}
            onClick={() => {
              if (!IS_WEAPP && group.data) void shareGroupOnH5(group.data)
            }}
          >
            邀请
          </Button>
        </View>
      </View>
      <ScrollView {...MESSAGE_LIST_A11Y} className={`${classPrefix}__list`} scrollY scrollIntoView={anchor} upperThreshold={40} onScrollToUpper={() => void loadOlder()}>
        <PageState query={chat.query} skeletonCards={2} skeletonRows={2} empty={(rows?.length ?? 0) === 0 && outgoing.length === 0} emptyTitle='还没有消息' emptyDescription='打个招呼，或点“提问”向创业管家咨询'>
          {chat.query.data?.hasOlder && (
            <View className={`load-older ${classPrefix}__older`} onClick={() => void loadOlder()}>
              <Text>{chat.loadingOlder ? '加载中…' : chat.olderError ? `${chat.olderError.message}，点此重试` : '查看更早的消息'}</Text>
            </View>
          )}
          {items.map((item) =>
            item.type === 'time' ? (
              <View key={item.key} className={`${classPrefix}__time`}>
                <Text>{item.label}</Text>
              </View>
            ) : (
              <MessageBubble
                key={item.key}
                message={item.row}
                mine={item.mine}
                showName={item.firstOfRun}
                senderIsButler={butlerIds.has(item.row.sender_id ?? '')}
                onLongPress={(m) => void messageMenu(m)}
              />
            ),
          )}
        </PageState>
        {outgoing.map((entry) => (
          <OutgoingBubble key={entry.id} entry={entry} onRetry={retry} onDiscard={(e) => void discard(e)} />
        ))}
        <View id={BOTTOM} className={`${classPrefix}__bottom`} />
      </ScrollView>
      {archived ? (
        <View className={`${classPrefix}__archived`}>
          <Text>这个创业群已停用，只能查看以前的消息</Text>
        </View>
      ) : (
        <Composer
          groupId={groupId}
          butlers={butlers}
          onSend={send}
          disabled={!me}
          onAsk={() => void navigateTo(PAGES.askQuestion, { group: groupId })}
        />
      )}
    </AppPage>
  )
}
