import Taro, { usePullDownRefresh, useShareAppMessage } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../components/app-page'
import { Button } from '../../components/nutui'
import { PageState } from '../../components/page-state'
import { DEMO_LOGIN, PAGES } from '../../constants/routes'
import { useSessionUser } from '../../services/auth/use-session'
import { groupShareCardById, shareGroupOnH5ById } from '../../services/groups/share'
import type { MyGroup } from '../../services/groups/my-groups-query'
import { useMyGroups } from '../../services/groups/use-my-groups'
import { timeLabel } from '../../services/groups/timeline'
import { navigateTo } from '../../utils/navigation'
import './index.scss'

const classPrefix = 'groups-page'
const IS_WEAPP = process.env.TARO_ENV === 'weapp'

/** How much of the latest message the row shows, in characters: two lines at most in large-text mode. */
const PREVIEW_LENGTH = 24

function shorten(text: string): string {
  const chars = [...text]
  return chars.length > PREVIEW_LENGTH ? `${chars.slice(0, PREVIEW_LENGTH).join('')}…` : text
}

/** The latest message, shortened: 李管家：今天下午… / [图片] / 撤回了一条消息. */
function lastMessagePreview(group: MyGroup): string {
  if (!group.last_message_id) return '还没有消息，来打个招呼吧'
  const who = group.last_message_sender_name ? `${group.last_message_sender_name}：` : ''
  if (group.last_message_withdrawn) return `${group.last_message_sender_name ?? ''}撤回了一条消息`
  if (group.last_message_kind === 'image') return `${who}[图片]`
  if (group.last_message_kind === 'voice') return `${who}[语音]`
  return shorten(`${who}${group.last_message_body ?? ''}`)
}

function unreadText(count: number): string {
  return count > 99 ? '99+' : String(count)
}

/** One group: name, street, its latest message, unread count; tap to open, 邀请 to share its card. */
function GroupRow({ group }: { group: MyGroup }) {
  const preview = lastMessagePreview(group)
  return (
    <View
      className={`group-row ${classPrefix}__row`}
      hoverClass={`${classPrefix}__row--pressed`}
      onClick={() => void navigateTo(PAGES.groupChat, { id: group.group_id })}
    >
      <View className={`${classPrefix}__row-head`}>
        <Text className={`group-name ${classPrefix}__name`}>{group.name}</Text>
        {group.my_role === 'butler' && <Text className={`${classPrefix}__role`}>管家</Text>}
        {group.last_message_at && <Text className={`${classPrefix}__time`}>{timeLabel(group.last_message_at)}</Text>}
      </View>
      <View className={`${classPrefix}__row-body`}>
        <Text className={`group-preview ${classPrefix}__preview`}>{preview}</Text>
        {group.unread_count > 0 && <Text className={`group-unread ${classPrefix}__unread`}>{unreadText(group.unread_count)}</Text>}
      </View>
      <View className={`${classPrefix}__row-foot`}>
        <Text className={`${classPrefix}__district`}>{group.district}</Text>
        <Button
          className='group-invite'
          size='small'
          fill='outline'
          type='primary'
          openType={IS_WEAPP ? 'share' : undefined}
          data-group={group.group_id}
          onClick={(event) => {
            event.stopPropagation()
            if (!IS_WEAPP) void shareGroupOnH5ById(group.group_id)
          }}
        >
          邀请
        </Button>
      </View>
    </View>
  )
}

/**
 * The groups tab (创业群): my groups with the latest message and unread count, newest activity first;
 * 加入创业群 (invite code or request) and 我的提问 at the top. With no group, how to join. On WeChat a
 * group's 邀请 shares a card that opens the join page with its invite code; on H5 it copies a link.
 */
export default function GroupsPage() {
  const user = useSessionUser()
  const groups = useMyGroups(user?.id ?? null)

  usePullDownRefresh(() => {
    void groups.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  useShareAppMessage((res) => {
    const id = (res.target as { dataset?: { group?: string } } | undefined)?.dataset?.group
    return groupShareCardById(id ?? null)
  })

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='登录后加入创业群'
          emptyDescription='在创业群里可以向值班的创业管家提问，及时得到解答'
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

  const list = groups.data ?? []
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__actions`}>
        <Button className='open-join' type='primary' size='normal' onClick={() => void navigateTo(PAGES.joinGroup)}>
          加入创业群
        </Button>
        <Button className='open-my-questions' type='primary' fill='outline' size='normal' onClick={() => void navigateTo(PAGES.myQuestions)}>
          我的提问
        </Button>
      </View>
      <PageState
        query={groups}
        skeletonCards={2}
        skeletonRows={2}
        empty={list.length === 0}
        emptyTitle='您还没有加入创业群'
        emptyDescription='向街道人社中心的创业管家要一个邀请码，输入后就能入群；也可以找到所在街道的创业群，申请加入。'
        emptyAction={
          <Button type='primary' size='large' onClick={() => void navigateTo(PAGES.joinGroup)}>
            输入邀请码
          </Button>
        }
      >
        <View className={`${classPrefix}__list`}>
          {list.map((group) => (
            <GroupRow key={group.group_id} group={group} />
          ))}
        </View>
      </PageState>
    </AppPage>
  )
}
