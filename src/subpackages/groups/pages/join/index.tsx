import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Input } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { DEMO_LOGIN, PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useDiscoverGroups, type DiscoveredGroup } from '../../../../services/groups/discover-groups-query'
import { normalizeInviteCode, useJoinByCodeMutation, useRequestToJoinMutation } from '../../../../services/groups/membership-mutations'
import { navigateTo, redirectTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'join-group'

/** One group of the directory, with 申请加入 (or where the person stands with it). */
function DirectoryRow({ group, onRequest, pending }: { group: DiscoveredGroup; onRequest: () => void; pending: boolean }) {
  return (
    <View className={`${classPrefix}__group`}>
      <View className={`${classPrefix}__group-text`}>
        <Text className={`${classPrefix}__group-name`}>{group.name}</Text>
        <Text className={`${classPrefix}__group-district`}>{group.district}</Text>
        {group.description && <Text className={`${classPrefix}__group-description`}>{group.description}</Text>}
      </View>
      {group.is_member ? (
        <Button size='small' type='primary' fill='outline' onClick={() => void navigateTo(PAGES.groupChat, { id: group.id })}>
          进入
        </Button>
      ) : group.request_pending ? (
        <Text className={`${classPrefix}__pending`}>已申请，等待管家审核</Text>
      ) : (
        <Button className='request-join' size='small' type='primary' loading={pending} disabled={pending} onClick={onRequest}>
          申请加入
        </Button>
      )}
    </View>
  )
}

/**
 * 加入创业群: with an invite code (typed, or filled in from a share card's `?code=`) the person joins at
 * once and lands in the group; without one, they find their street's group and ask to join, and a
 * butler of that group decides.
 */
export default function JoinGroupPage() {
  const router = useRouter()
  const user = useSessionUser()
  const [code, setCode] = useState(() => normalizeInviteCode(router.params.code ? decodeURIComponent(router.params.code) : ''))
  const [search, setSearch] = useState('')
  const [note, setNote] = useState('')
  const [requesting, setRequesting] = useState<string | null>(null)
  const join = useJoinByCodeMutation()
  const request = useRequestToJoinMutation()
  const directory = useDiscoverGroups(search, user !== null)

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='登录后才能入群'
          emptyDescription={DEMO_LOGIN ? '请先选择演示账号登录' : '请回到“我的”页登录后再打开邀请'}
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

  const submitCode = async () => {
    if (!normalizeInviteCode(code)) return
    const outcome = await join.run(code)
    if (outcome.ok && outcome.data) await redirectTo(`${PAGES.groupChat}?id=${outcome.data.id}`)
  }

  const ask = async (group: DiscoveredGroup) => {
    setRequesting(group.id)
    try {
      await request.run({ groupId: group.id, note })
    } finally {
      setRequesting(null)
    }
  }

  const groups = directory.data ?? []
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__card`}>
        <Text className={`${classPrefix}__title`}>凭邀请码入群</Text>
        <Text className={`${classPrefix}__hint`}>邀请码由街道的创业管家提供，如 XL2026。</Text>
        <Input
          className={`${classPrefix}__code invite-code`}
          value={code}
          onChange={(value) => setCode(value.toUpperCase())}
          placeholder='请输入邀请码'
          maxLength={16}
        />
        {join.error && (
          <View className={`${classPrefix}__error join-error`} role='alert'>
            <Text>{join.error.message}</Text>
          </View>
        )}
        <Button className='join-by-code' type='primary' size='large' block loading={join.pending} disabled={join.pending || !normalizeInviteCode(code)} onClick={() => void submitCode()}>
          加入
        </Button>
      </View>

      <View className={`${classPrefix}__card`}>
        <Text className={`${classPrefix}__title`}>没有邀请码？申请加入</Text>
        <Text className={`${classPrefix}__hint`}>搜索所在街道或群名，申请后由该群的创业管家审核，结果会通知您。</Text>
        <Input className={`${classPrefix}__search`} value={search} onChange={setSearch} placeholder='如：兴隆路' maxLength={20} />
        <Input className={`${classPrefix}__note`} value={note} onChange={setNote} placeholder='申请说明（选填），如：原青岛钢铁职工，想开维修店' maxLength={200} />
        <PageState query={directory} skeletonCards={1} skeletonRows={2} empty={groups.length === 0} emptyTitle='没有找到创业群' emptyDescription='换个街道名称试试'>
          {groups.map((group) => (
            <DirectoryRow key={group.id} group={group} pending={requesting === group.id} onRequest={() => void ask(group)} />
          ))}
        </PageState>
      </View>
    </AppPage>
  )
}
