import { useMemo, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import dayjs from 'dayjs'
import { AppPage } from '../../../../components/app-page'
import { Button, Cell } from '../../../../components/nutui'
import { DatePicker } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useGroup, useGroupMembers } from '../../../../services/groups/group-queries'
import { useAddShiftMutation, useRemoveShiftMutation, useRoster } from '../../../../services/questions/roster'
import { formatDate, toDateValue } from '../../../../utils/date'
import './index.scss'

const classPrefix = 'roster-page'

/** The usual slots of a working day (09:00–17:30), so a shift is two taps. */
export const SHIFT_SLOTS = [
  { label: '全天 9:00–17:30', start: [9, 0], end: [17, 30] },
  { label: '上午 9:00–12:00', start: [9, 0], end: [12, 0] },
  { label: '下午 13:30–17:30', start: [13, 30], end: [17, 30] },
] as const

/** 12月1日 09:00–17:30, or with both dates when a shift runs over days. */
function shiftSpan(startsAt: string, endsAt: string): string {
  const start = dayjs(startsAt)
  const end = dayjs(endsAt)
  return `${start.format('M月D日 HH:mm')}–${end.format(end.isSame(start, 'day') ? 'HH:mm' : 'M月D日 HH:mm')}`
}

function at(date: string, [hour, minute]: readonly [number, number]): Date {
  const d = new Date(`${date}T00:00:00`)
  d.setHours(hour, minute, 0, 0)
  return d
}

/**
 * 值班表 of one group: the shifts from today on (who is on duty, when). The group's butlers (and admins)
 * add a shift (butler, day, slot) and remove one; questions asked during a shift go to its butler.
 */
export default function RosterPage() {
  const router = useRouter()
  const groupId = router.params.group ?? null
  const user = useSessionUser()
  const group = useGroup(groupId)
  const members = useGroupMembers(groupId)
  const roster = useRoster(groupId)
  const add = useAddShiftMutation(groupId ?? '')
  const remove = useRemoveShiftMutation(groupId ?? '')
  const butlers = useMemo(() => (members.data ?? []).filter((m) => m.role === 'butler'), [members.data])
  const canEdit = user?.role === 'admin' || butlers.some((b) => b.user_id === user?.id)
  const [butlerId, setButlerId] = useState<string | null>(null)
  const [date, setDate] = useState(() => toDateValue(new Date()))
  const [slot, setSlot] = useState(0)
  const [picking, setPicking] = useState(false)
  const chosen = butlers.find((b) => b.user_id === (butlerId ?? user?.id)) ?? butlers[0]

  const pickButler = async () => {
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: butlers.slice(0, 6).map((b) => b.display_name) })
      setButlerId(butlers[tapIndex]?.user_id ?? null)
    } catch {
      // Cancelled.
    }
  }

  const pickSlot = async () => {
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: SHIFT_SLOTS.map((s) => s.label) })
      setSlot(tapIndex)
    } catch {
      // Cancelled.
    }
  }

  const submit = async () => {
    if (!groupId || !chosen) return
    const s = SHIFT_SLOTS[slot]
    await add.run({ groupId, butlerId: chosen.user_id, startsAt: at(date, s.start), endsAt: at(date, s.end), note: '' })
  }

  const confirmRemove = async (id: string, label: string) => {
    const { confirm } = await Taro.showModal({ title: '删除班次', content: label, confirmText: '删除' })
    if (confirm) await remove.run(id)
  }

  const shifts = roster.data ?? []
  const now = Date.now()
  return (
    <AppPage className={classPrefix}>
      <Text className={`${classPrefix}__group`}>{group.data?.name ?? ''}</Text>
      <PageState query={roster} skeletonCards={1} empty={shifts.length === 0} emptyTitle='还没有排班' emptyDescription='没有排班时，新问题交给待办最少的管家'>
        <Cell.Group>
          {shifts.map((shift) => {
            const label = `${shift.butler?.display_name ?? ''} ${shiftSpan(shift.starts_at, shift.ends_at)}`
            const onNow = Date.parse(shift.starts_at) <= now && now < Date.parse(shift.ends_at)
            return (
              <Cell
                key={shift.id}
                className={`roster-shift ${classPrefix}__shift`}
                title={label}
                description={onNow ? '正在值班' : shift.note || undefined}
                extra={
                  canEdit ? (
                    <Button size='small' fill='outline' type='default' onClick={() => void confirmRemove(shift.id, label)}>
                      删除
                    </Button>
                  ) : undefined
                }
              />
            )
          })}
        </Cell.Group>
      </PageState>

      {canEdit && butlers.length > 0 && (
        <View className={`${classPrefix}__card`}>
          <Text className={`${classPrefix}__label`}>添加班次</Text>
          <Cell.Group>
            <Cell title='值班管家' extra={`${chosen?.display_name ?? ''} ›`} clickable onClick={() => void pickButler()} />
            <Cell title='日期' extra={`${formatDate(date)} ›`} clickable onClick={() => setPicking(true)} />
            <Cell title='时段' extra={`${SHIFT_SLOTS[slot].label} ›`} clickable onClick={() => void pickSlot()} />
          </Cell.Group>
          <DatePicker
            title='选择日期'
            type='date'
            visible={picking}
            showChinese
            startDate={new Date()}
            endDate={dayjs().add(90, 'day').toDate()}
            defaultValue={new Date(`${date}T00:00:00`)}
            onClose={() => setPicking(false)}
            onConfirm={(_, values) => {
              const [year, month, day] = values.map((value) => Number(value))
              setDate(toDateValue(new Date(year, month - 1, day)))
            }}
          />
          <Button className='add-shift' type='primary' size='large' block loading={add.pending} disabled={add.pending} onClick={() => void submit()}>
            添加
          </Button>
        </View>
      )}
    </AppPage>
  )
}
