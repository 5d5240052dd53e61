import { useEffect, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Checkbox, DatePicker, Input, TextArea } from '../../../../components/nutui-form'
import { ImageUploader } from '../../../../components/image-uploader'
import { ImageViewer } from '../../../../components/image-viewer'
import { PageState } from '../../../../components/page-state'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError } from '../../../../services/errors'
import { newSecureUuid } from '../../../../services/platform/secure-random'
import { showErrorToast, TOAST_MS } from '../../../../services/query/use-app-mutation'
import { useReviewQueue } from '../../../../services/review/queue-query'
import { checkVisit, type VisitFields } from '../../../../services/review/forms'
import { useLinkVisitMutation, useSaveVisitMutation, useVisit } from '../../../../services/review/visits'
import { formatDate, toDateValue } from '../../../../utils/date'
import '../../components/review.scss'

function emptyVisit(): VisitFields {
  return { visited_on: toDateValue(new Date()), base_name: '', people_met: '', notes: '', photo_paths: [] }
}

/** Applications collected at the visit: tick those of the review queue to link them. */
function LinkApplications({ visitId, linked, enabled }: { visitId: string; linked: readonly string[]; enabled: boolean }) {
  const queue = useReviewQueue('all', enabled)
  const link = useLinkVisitMutation(visitId)
  const rows = (queue.data ?? []).flatMap((page) => page.rows)
  return (
    <View className='review-card visit-links'>
      <Text className='review-label'>在这次走访中收取的申报</Text>
      {!enabled && <Text className='review-hint'>保存走访记录后可以关联申报</Text>}
      {enabled && (
        <PageState query={queue} skeletonCards={1} skeletonRows={2} empty={rows.length === 0} emptyTitle='还没有可关联的申报'>
          {rows.map((row) => (
            <Checkbox
              key={row.id}
              className='visit-link'
              checked={linked.includes(row.id)}
              disabled={link.pending}
              onChange={(checked: boolean) => void link.run({ applicationId: row.id, linked: checked })}
              label={`${row.applicant_name ?? ''} · ${row.programme_name}`}
            />
          ))}
        </PageState>
      )}
    </View>
  )
}

/**
 * One 走访记录, new or to edit: date, incubation base, people met, notes and photos (visit-photos bucket,
 * checked by the server), and the applications collected there. Only its author edits it; the street's
 * other butlers and admins read it.
 */
export default function VisitPage() {
  const router = useRouter()
  const givenId = router.params.id ? decodeURIComponent(router.params.id) : null
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const [visitId, setVisitId] = useState<string | null>(givenId)
  const [saved, setSaved] = useState(givenId !== null)
  const existing = useVisit(saved ? visitId : null, staff)
  const save = useSaveVisitMutation(visitId ?? '')
  const [form, setForm] = useState<VisitFields>(emptyVisit)
  const [picking, setPicking] = useState(false)
  const loaded = useRef(false)

  useEffect(() => {
    if (givenId || visitId) return
    newSecureUuid().then(setVisitId, (caught) => showErrorToast(toAppError(caught)))
  }, [givenId, visitId])

  const stored = existing.data?.visit ?? null
  useEffect(() => {
    if (stored && !loaded.current) {
      loaded.current = true
      setForm({ visited_on: stored.visited_on, base_name: stored.base_name, people_met: stored.people_met ?? '', notes: stored.notes ?? '', photo_paths: [...stored.photo_paths] })
    }
  }, [stored])

  if (!staff || !user) {
    return (
      <AppPage className='review-page review-visit'>
        <PageState empty emptyTitle='走访记录仅供创业管家使用' emptyDescription='如需开通，请联系管理员' />
      </AppPage>
    )
  }
  if (givenId && !stored) {
    return (
      <AppPage className='review-page review-visit'>
        <PageState query={existing} empty={existing.data?.visit === null} emptyTitle='没有找到这条走访记录' />
      </AppPage>
    )
  }

  const mine = !stored || stored.butler_id === user.id
  const set = <K extends keyof VisitFields>(field: K, value: VisitFields[K]) => setForm((previous) => ({ ...previous, [field]: value }))

  const submit = async () => {
    if (!visitId || save.pending) return
    const problem = checkVisit(form, toDateValue(new Date()))
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none', duration: TOAST_MS })
      return
    }
    const outcome = await save.run(form)
    if (outcome.ok) setSaved(true)
  }

  if (!mine && stored) {
    return (
      <AppPage className='review-page review-visit'>
        <View className='review-card visit-readonly'>
          <Text className='review-title'>{stored.base_name}</Text>
          <Text className='review-meta'>{formatDate(stored.visited_on)}</Text>
          {stored.people_met && <Text className='review-field__value'>见到：{stored.people_met}</Text>}
          {stored.notes && <Text className='review-field__value'>{stored.notes}</Text>}
          <ImageViewer bucket='visit-photos' paths={stored.photo_paths} />
        </View>
      </AppPage>
    )
  }

  return (
    <AppPage className='review-page review-visit'>
      <View className='review-card visit-form'>
        <Text className='review-label'>走访日期</Text>
        <Button className='visit-date' fill='outline' type='default' onClick={() => setPicking(true)}>
          {formatDate(form.visited_on)}
        </Button>
        <Text className='review-label'>孵化基地</Text>
        <Input className='review-input visit-base' value={form.base_name} onChange={(v) => set('base_name', v)} placeholder='如：兴隆路创业孵化基地' maxLength={100} />
        <Text className='review-label'>见到的人</Text>
        <Input className='review-input visit-people' value={form.people_met} onChange={(v) => set('people_met', v)} placeholder='如：基地负责人王经理、入驻创业者3人' maxLength={500} />
        <Text className='review-label'>走访情况</Text>
        <TextArea className='review-input visit-notes' value={form.notes} onChange={(v) => set('notes', v)} placeholder='经营情况、遇到的困难、需要跟进的事项' maxLength={4000} showCount />
        <Text className='review-label'>照片</Text>
        {visitId && (
          <ImageUploader
            key={visitId}
            className='visit-photos'
            bucket='visit-photos'
            folder={`${user.id}/${visitId}`}
            maxCount={9}
            initial={stored?.photo_paths ?? []}
            onChange={(paths) => set('photo_paths', paths)}
          />
        )}
        <Button className='save-visit' type='primary' size='large' block loading={save.pending} disabled={save.pending || !visitId} onClick={() => void submit()}>
          保存
        </Button>
      </View>

      {visitId && <LinkApplications visitId={visitId} linked={existing.data?.linked ?? []} enabled={saved} />}

      {picking && (
        <DatePicker
          title='选择走访日期'
          type='date'
          visible
          showChinese
          startDate={new Date(2020, 0, 1)}
          endDate={new Date()}
          defaultValue={new Date(`${form.visited_on}T00:00:00`)}
          onClose={() => setPicking(false)}
          onConfirm={(_, values) => {
            const [year, month, day] = values.map((value) => Number(value))
            set('visited_on', toDateValue(new Date(year, month - 1, day)))
          }}
        />
      )}
    </AppPage>
  )
}
