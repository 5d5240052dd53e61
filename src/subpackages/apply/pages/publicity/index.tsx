import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { formatYuan } from '../../../../services/applications/labels'
import { usePublicityBatches, usePublicityList, useRaiseObjectionMutation, type PublicityBatch } from '../../../../services/applications/publicity'
import { useSessionUser } from '../../../../services/auth/use-session'
import { formatDateTime } from '../../../../utils/date'
import { switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'publicity-page'
const OBJECTION_MIN = 5
const OBJECTION_MAX = 500

function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(month)
  return m ? `${m[1]}年${Number(m[2])}月` : month
}

/** 提出异议 about the batch (or one row of it), while its objection window is open. */
function ObjectionForm({ batchId, rows }: { batchId: string; rows: { application_id: string; masked_name: string; programme_name: string }[] }) {
  const [body, setBody] = useState('')
  const [about, setAbout] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [sent, setSent] = useState(false)
  const raise = useRaiseObjectionMutation(batchId)
  const length = [...body.trim()].length

  const submit = async () => {
    if (length < OBJECTION_MIN) return setProblem(`请写明异议的理由，至少${OBJECTION_MIN}个字`)
    if (length > OBJECTION_MAX) return setProblem(`最多${OBJECTION_MAX}个字`)
    setProblem(null)
    const result = await raise.run({ applicationId: about, body })
    if (result.ok) {
      setSent(true)
      setBody('')
    }
  }

  if (sent) return <Text className={`objection-sent ${classPrefix}__text`}>您的异议已提交，街道创业管家会在集中申报前答复您，答复会发到消息中心。</Text>
  return (
    <View className={`objection-form ${classPrefix}__objection`}>
      <Text className={`${classPrefix}__sub`}>提出异议</Text>
      <Text className={`${classPrefix}__hint`}>对名单有异议（如不符合条件、信息不实），可以在公示期内提出，我们会核实并答复。</Text>
      <View className={`${classPrefix}__about`}>
        <Button size='small' type={about === null ? 'primary' : 'default'} onClick={() => setAbout(null)}>
          针对整个名单
        </Button>
        {rows.map((row) => (
          <Button key={row.application_id} size='small' type={about === row.application_id ? 'primary' : 'default'} onClick={() => setAbout(row.application_id)}>
            {row.masked_name}
          </Button>
        ))}
      </View>
      <TextArea className={`objection-body ${classPrefix}__body`} value={body} onChange={setBody} placeholder='请写明异议的理由' maxLength={-1} />
      <Text className={`${classPrefix}__hint`}>
        {length}/{OBJECTION_MAX}
      </Text>
      {(problem || raise.error) && (
        <View className={`${classPrefix}__error`} role='alert'>
          {problem ?? raise.error?.message}
        </View>
      )}
      <Button className='objection-submit' type='primary' size='large' block loading={raise.pending} disabled={raise.pending} onClick={() => void submit()}>
        提交异议
      </Button>
    </View>
  )
}

function BatchCard({ batch, open, onToggle }: { batch: PublicityBatch; open: boolean; onToggle: () => void }) {
  const list = usePublicityList(open ? batch.id : null)
  const rows = list.data ?? []
  const inWindow = batch.publicity_until ? new Date(batch.publicity_until).getTime() > Date.now() : false
  return (
    <View className={`publicity-batch ${classPrefix}__card`}>
      <View className={`${classPrefix}__head`} onClick={onToggle} hoverClass={`${classPrefix}__head--pressed`}>
        <Text className={`${classPrefix}__name`}>
          {batch.street} {monthLabel(batch.month)}创业补贴
        </Text>
        <Text className={`${classPrefix}__toggle`}>{open ? '收起' : '查看'}</Text>
      </View>
      <Text className={`${classPrefix}__hint`}>{inWindow && batch.publicity_until ? `公示至 ${formatDateTime(batch.publicity_until)}` : '公示期已结束'}</Text>
      {open && (
        <PageState query={list} empty={rows.length === 0} emptyTitle='这一批没有公示的名单'>
          {rows.map((row) => (
            <View key={row.application_id} className={`publicity-row ${classPrefix}__row`}>
              <Text className={`${classPrefix}__row-name`}>{row.masked_name}</Text>
              <Text className={`${classPrefix}__row-programme`}>{row.programme_name}</Text>
              <Text className={`${classPrefix}__row-amount`}>{formatYuan(row.approved_amount)}</Text>
            </View>
          ))}
          {inWindow && <ObjectionForm batchId={batch.id} rows={rows} />}
        </PageState>
      )}
    </View>
  )
}

/**
 * 补贴公示: each month's approved subsidies of a street, with masked names (张*德) and amounts, and 提出异议
 * while the objection window is open. Signed-in people only (anyone signed in, as the issue asks).
 */
export default function PublicityPage() {
  const user = useSessionUser()
  const batches = usePublicityBatches(user !== null)
  const [open, setOpen] = useState<string | null>(null)

  usePullDownRefresh(() => {
    void batches.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const list = batches.data ?? []
  return (
    <AppPage className={classPrefix}>
      <PageState
        query={user ? batches : undefined}
        empty={!user || list.length === 0}
        emptyTitle={user ? '目前没有公示中的名单' : '登录后查看补贴公示'}
        emptyDescription={user ? '每月集中申报截止后，审核通过的名单会在这里公示5天' : undefined}
        emptyAction={
          !user && (
            <Button type='primary' size='large' onClick={() => void switchTab('me')}>
              去登录
            </Button>
          )
        }
      >
        {list.map((batch) => (
          <BatchCard key={batch.id} batch={batch} open={open === batch.id} onToggle={() => setOpen(open === batch.id ? null : batch.id)} />
        ))}
      </PageState>
    </AppPage>
  )
}
