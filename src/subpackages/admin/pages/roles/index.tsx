import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Avatar } from '../../../../components/avatar'
import { Cell, Tag } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { Radio } from '../../../../components/nutui-form'
import { ROLE_LABELS, ROLE_ORDER, type AppRole } from '../../../../constants/roles'
import { useSetUserRoleMutation } from '../../../../services/admin/set-user-role'
import { usePeople } from '../../../../services/admin/use-people'
import type { Person } from '../../../../services/admin/people-query'
import { useSessionUser } from '../../../../services/auth/use-session'
import './index.scss'

const classPrefix = 'roles-page'

interface RowOutcome {
  kind: 'saved' | 'error'
  message: string
}

/**
 * 角色管理 (admins only): everyone with an account and their role, and a control to make someone a
 * worker, a butler or an admin. Each change is confirmed first and goes through the audited
 * set_user_role RPC; the database refuses non-admins and removing the last admin, in Chinese.
 */
export default function RolesPage() {
  const me = useSessionUser()
  const people = usePeople()
  const setRole = useSetUserRoleMutation()
  const [saving, setSaving] = useState<string | null>(null)
  const [outcomes, setOutcomes] = useState<Record<string, RowOutcome>>({})

  usePullDownRefresh(() => {
    void people.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!me || me.role !== 'admin') {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='只有管理员可以管理角色' emptyDescription='如需调整角色，请联系街道人社中心的管理员' />
      </AppPage>
    )
  }

  const change = async (person: Person, role: AppRole) => {
    if (role === person.role || setRole.pending) return
    const { confirm } = await Taro.showModal({
      title: '修改角色',
      content: `确定将“${person.display_name}”由${ROLE_LABELS[person.role]}改为${ROLE_LABELS[role]}吗？`,
      confirmText: '确定',
      cancelText: '取消',
    })
    if (!confirm) return
    setSaving(person.id)
    setOutcomes((previous) => {
      const next = { ...previous }
      delete next[person.id]
      return next
    })
    // A second change while this one runs is ignored by the mutation (outcome error null).
    const outcome = await setRole.run({ userId: person.id, role })
    if (outcome.ok) {
      setOutcomes((previous) => ({ ...previous, [person.id]: { kind: 'saved', message: `已设为${ROLE_LABELS[role]}` } }))
    } else if (outcome.error) {
      const message = outcome.error.message
      setOutcomes((previous) => ({ ...previous, [person.id]: { kind: 'error', message } }))
    }
    setSaving((current) => (current === person.id ? null : current))
  }

  const list = people.data ?? []
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__intro`}>
        <Text>角色决定能办理哪些事：创业管家可以答疑、审核申报，管理员还可以管理角色。每次修改都会留下记录。</Text>
      </View>
      <PageState query={people} skeletonRows={2} empty={list.length === 0} emptyTitle='还没有用户' emptyDescription='有人登录小程序后会显示在这里'>
        {list.map((person) => {
          const outcome = outcomes[person.id]
          const busy = saving === person.id
          return (
            <Cell.Group key={person.id} className={`${classPrefix}__person`}>
              <Cell
                title={
                  <View className={`${classPrefix}__who`}>
                    <Avatar path={person.avatar_path} name={person.display_name} size='small' className={`${classPrefix}__avatar`} />
                    <Text className={`${classPrefix}__name`}>{person.display_name}</Text>
                    <Tag type={person.role === 'worker' ? 'default' : 'danger'} plain className={`${classPrefix}__current`}>
                      {ROLE_LABELS[person.role]}
                    </Tag>
                    {person.id === me.id && <Text className={`${classPrefix}__me`}>（我）</Text>}
                  </View>
                }
                description={person.district ?? (person.onboarded_at ? undefined : '尚未完善资料')}
              />
              <View className={`${classPrefix}__control`}>
                <Radio.Group
                  value={person.role}
                  direction='horizontal'
                  shape='button'
                  disabled={saving !== null}
                  onChange={(value) => void change(person, value as AppRole)}
                >
                  {ROLE_ORDER.map((role) => (
                    <Radio key={role} value={role} shape='button' className={`${classPrefix}__option`}>
                      {ROLE_LABELS[role]}
                    </Radio>
                  ))}
                </Radio.Group>
                {busy && <Text className={`${classPrefix}__saving`}>正在保存…</Text>}
              </View>
              {outcome && (
                <View className={`${classPrefix}__outcome ${classPrefix}__outcome--${outcome.kind}`} role={outcome.kind === 'error' ? 'alert' : 'status'}>
                  <Text>{outcome.message}</Text>
                </View>
              )}
            </Cell.Group>
          )
        })}
      </PageState>
    </AppPage>
  )
}
