import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Cell } from '../../../../components/nutui'
import { Input } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useFlaggedMessages } from '../../../../services/groups/flagged-query'
import { useGroup, useGroupMembers, useJoinRequests, type GroupMember } from '../../../../services/groups/group-queries'
import { useDecideFlaggedMutation, useDecideJoinRequestMutation, useRemoveMemberMutation, useRotateInviteCodeMutation } from '../../../../services/groups/manage-mutations'
import { timeLabel } from '../../../../services/groups/timeline'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'group-manage'

/** 移出 with a reason the person is told (required, so nobody is removed without a word). */
function RemoveMember({ groupId, member, onDone }: { groupId: string; member: GroupMember; onDone: () => void }) {
  const [reason, setReason] = useState('')
  const remove = useRemoveMemberMutation(groupId)
  return (
    <View className={`remove-member ${classPrefix}__remove`}>
      <Text className={`${classPrefix}__hint`}>把 {member.display_name} 移出本群，原因会通知本人：</Text>
      <Input className='remove-reason' value={reason} onChange={setReason} placeholder='如：长期发布广告' maxLength={200} />
      <View className={`${classPrefix}__row`}>
        <Button size='small' type='default' onClick={onDone}>
          取消
        </Button>
        <Button
          className='confirm-remove'
          size='small'
          type='danger'
          loading={remove.pending}
          disabled={remove.pending || !reason.trim()}
          onClick={() => void remove.run({ person: member.user_id, reason }).then((outcome) => outcome.ok && onDone())}
        >
          确认移出
        </Button>
      </View>
    </View>
  )
}

/**
 * 群管理 for the group's butlers (and admins): the invite code (更换 when it leaked), join requests
 * (同意 / 拒绝), members with 移出 and a reason, and messages hidden by the content check. The database
 * refuses anyone else; the page only shows what applies.
 */
export default function GroupManagePage() {
  const router = useRouter()
  const groupId = router.params.id ?? null
  const user = useSessionUser()
  const group = useGroup(groupId)
  const members = useGroupMembers(groupId)
  const isManager = user?.role === 'admin' || (members.data ?? []).some((m) => m.user_id === user?.id && m.role === 'butler')
  const requests = useJoinRequests(groupId, isManager)
  const flagged = useFlaggedMessages(groupId, isManager)
  const decide = useDecideJoinRequestMutation(groupId ?? '')
  const rotate = useRotateInviteCodeMutation(groupId ?? '')
  const decideFlagged = useDecideFlaggedMutation(groupId ?? '')
  const [removing, setRemoving] = useState<string | null>(null)

  usePullDownRefresh(() => {
    void Promise.all([group.refetch(), members.refetch(), requests.refetch(), flagged.refetch()]).finally(() => Taro.stopPullDownRefresh())
  })

  const confirmRotate = async () => {
    const { confirm } = await Taro.showModal({
      title: '更换邀请码',
      content: '更换后旧的邀请码和分享卡片都不能再入群，已在群里的人不受影响。',
      confirmText: '更换',
    })
    if (confirm) await rotate.run()
  }

  const requestList = requests.data ?? []
  const memberList = members.data ?? []
  const flaggedList = flagged.data ?? []
  return (
    <AppPage className={classPrefix}>
      <PageState query={group} skeletonCards={1}>
        {group.data && (
          <View className={`${classPrefix}__card`}>
            <Text className={`${classPrefix}__title`}>{group.data.name}</Text>
            <Text className={`${classPrefix}__hint`}>{group.data.district}</Text>
            <View className={`${classPrefix}__row`}>
              <Text className={`${classPrefix}__label`}>邀请码</Text>
              <Text className={`invite-code-value ${classPrefix}__code`}>{group.data.invite_code}</Text>
              {isManager && (
                <Button className='rotate-code' size='small' fill='outline' type='primary' loading={rotate.pending} onClick={() => void confirmRotate()}>
                  更换
                </Button>
              )}
            </View>
            <Button size='small' fill='outline' type='default' onClick={() => void navigateTo(PAGES.roster, { group: group.data!.id })}>
              值班表
            </Button>
          </View>
        )}
      </PageState>

      {isManager && (
        <View className={`join-requests ${classPrefix}__card`}>
          <Text className={`${classPrefix}__label`}>入群申请（{requestList.length}）</Text>
          <PageState query={requests} skeletonCards={1} skeletonRows={1} empty={requestList.length === 0} emptyTitle='没有待处理的申请'>
            {requestList.map((request) => (
              <View key={request.id} className={`join-request ${classPrefix}__item`}>
                <Text className={`${classPrefix}__name`}>{request.display_name}</Text>
                {request.note && <Text className={`${classPrefix}__hint`}>{request.note}</Text>}
                <Text className={`${classPrefix}__hint`}>{timeLabel(request.created_at)}</Text>
                <View className={`${classPrefix}__row`}>
                  <Button className='approve-request' size='small' type='primary' disabled={decide.pending} onClick={() => void decide.run({ requestId: request.id, approve: true, note: '' })}>
                    同意
                  </Button>
                  <Button className='decline-request' size='small' type='default' disabled={decide.pending} onClick={() => void decide.run({ requestId: request.id, approve: false, note: '' })}>
                    拒绝
                  </Button>
                </View>
              </View>
            ))}
          </PageState>
        </View>
      )}

      <View className={`group-members ${classPrefix}__card`}>
        <Text className={`${classPrefix}__label`}>成员（{memberList.length}）</Text>
        <PageState query={members} skeletonCards={1}>
          <Cell.Group>
            {memberList.map((member) => (
              <View key={member.user_id}>
                <Cell
                  className={`group-member ${classPrefix}__member`}
                  title={member.display_name}
                  description={`${member.role === 'butler' ? '创业管家 · ' : ''}${timeLabel(member.joined_at)} 入群`}
                  extra={
                    isManager && member.role === 'member' && member.user_id !== user?.id ? (
                      <Button className='remove-member-button' size='small' fill='outline' type='danger' onClick={() => setRemoving(member.user_id)}>
                        移出
                      </Button>
                    ) : undefined
                  }
                />
                {removing === member.user_id && groupId && <RemoveMember groupId={groupId} member={member} onDone={() => setRemoving(null)} />}
              </View>
            ))}
          </Cell.Group>
        </PageState>
      </View>

      {isManager && (
        <View className={`flagged-messages ${classPrefix}__card`}>
          <Text className={`${classPrefix}__label`}>未通过内容检查的消息（{flaggedList.length}）</Text>
          <PageState query={flagged} skeletonCards={1} skeletonRows={1} empty={flaggedList.length === 0} emptyTitle='没有被拦截的消息'>
            {flaggedList.map((message) => (
              <View key={message.id} className={`flagged-message ${classPrefix}__item`}>
                <Text className={`${classPrefix}__name`}>
                  {message.sender_name} · {timeLabel(message.created_at)}
                </Text>
                <Text className={`${classPrefix}__body`}>{message.kind === 'text' ? message.body : message.kind === 'image' ? '[图片]' : '[语音]'}</Text>
                <View className={`${classPrefix}__row`}>
                  <Button
                    className='publish-flagged'
                    size='small'
                    type='primary'
                    fill='outline'
                    disabled={decideFlagged.pending}
                    onClick={() => void decideFlagged.run({ messageId: message.id, publish: true })}
                  >
                    误判，放行
                  </Button>
                  <Button
                    className='erase-flagged'
                    size='small'
                    type='danger'
                    fill='outline'
                    disabled={decideFlagged.pending}
                    onClick={() => void decideFlagged.run({ messageId: message.id, publish: false })}
                  >
                    删除
                  </Button>
                </View>
              </View>
            ))}
          </PageState>
        </View>
      )}
    </AppPage>
  )
}
