import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Input, TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError } from '../../../../services/errors'
import { showErrorToast, TOAST_MS } from '../../../../services/query/use-app-mutation'
import { useAnswerObjectionMutation, useDisbursedMutation, useMarkFiledMutation } from '../../../../services/review/batch-mutations'
import { useBatch, type BatchApplication, type BatchObjection } from '../../../../services/review/batches-query'
import { exportRoster } from '../../../../services/review/export-roster'
import { formatDateTime, formatMonth, formatYuan } from '../../../../services/review/labels'
import { navigateTo } from '../../../../utils/navigation'
import { ApplicationStatusTag, BatchStatusTag } from '../../components/status-tag'
import '../../components/review.scss'

/** 已发放 / 未发放 of one filed application; 未发放 needs a reason the applicant is told. */
function Disburse({ batchId, row }: { batchId: string; row: BatchApplication }) {
  const mutation = useDisbursedMutation(batchId)
  const [refusing, setRefusing] = useState(false)
  const [note, setNote] = useState('')
  if (row.status !== 'filed') return null
  return (
    <View className='disburse'>
      <View className='review-actions'>
        <Button
          className='mark-disbursed'
          size='small'
          type='primary'
          disabled={mutation.pending}
          onClick={() => void mutation.run({ applicationId: row.id, disbursed: true, note: '' })}
        >
          已发放
        </Button>
        <Button className='open-not-disbursed' size='small' fill='outline' type='default' disabled={mutation.pending} onClick={() => setRefusing(!refusing)}>
          未发放
        </Button>
      </View>
      {refusing && (
        <View className='review-form'>
          <Input className='review-input not-disbursed-note' value={note} onChange={setNote} placeholder='未发放的原因，如：银行账户已注销' maxLength={200} />
          <Button
            className='confirm-not-disbursed'
            size='small'
            type='danger'
            disabled={mutation.pending || note.trim().length < 2}
            onClick={() => void mutation.run({ applicationId: row.id, disbursed: false, note }).then((o) => o.ok && setRefusing(false))}
          >
            确认未发放
          </Button>
        </View>
      )}
    </View>
  )
}

/** An objection from the 公示 and its answer; the street's butlers answer it before filing. */
function Objection({ batchId, objection }: { batchId: string; objection: BatchObjection }) {
  const answer = useAnswerObjectionMutation(batchId)
  const [text, setText] = useState('')
  return (
    <View className='review-card batch-objection'>
      <Text className='review-meta'>{formatDateTime(objection.created_at)} 收到异议</Text>
      <Text className='review-field__value'>{objection.body}</Text>
      {objection.answer ? (
        <Text className='review-meta objection-answer'>
          已答复（{formatDateTime(objection.answered_at)}）：{objection.answer}
        </Text>
      ) : (
        <View className='review-form'>
          <TextArea className='review-input objection-answer-input' value={text} onChange={setText} placeholder='答复内容会通知提出异议的人' maxLength={500} />
          <Button
            className='answer-objection'
            size='small'
            type='primary'
            loading={answer.pending}
            disabled={answer.pending || text.trim().length < 2}
            onClick={() => void answer.run({ objectionId: objection.id, answer: text }).then((o) => o.ok && setText(''))}
          >
            答复
          </Button>
        </View>
      )}
    </View>
  )
}

/**
 * One monthly batch: its status and dates, the applications in it (masked names and amounts), what is
 * missing for filing, 导出名册 (.xlsx for the human-resources bureau), 标记已申报 once 公示 is over and
 * every objection is answered, then 已发放 / 未发放 for each application.
 */
export default function BatchPage() {
  const router = useRouter()
  const batchId = router.params.id ? decodeURIComponent(router.params.id) : null
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const query = useBatch(staff ? batchId : null)
  const filed = useMarkFiledMutation(batchId ?? '')
  const [exporting, setExporting] = useState(false)

  usePullDownRefresh(() => {
    void query.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!staff || !batchId) {
    return (
      <AppPage className='review-page review-batch'>
        <PageState empty emptyTitle={staff ? '没有指定批次' : '集中申报仅供创业管家使用'} emptyDescription='请从集中申报列表打开一个批次' />
      </AppPage>
    )
  }

  const detail = query.data
  const batch = detail?.batch
  const canExport = batch?.status === 'locked' || batch?.status === 'filed' || batch?.status === 'closed'
  const openObjections = (detail?.objections ?? []).filter((o) => !o.answer).length

  const runExport = async () => {
    if (!batch || exporting) return
    setExporting(true)
    try {
      const name = await exportRoster(batch.id, `${batch.street}${formatMonth(batch.month)}集中申报名册.xlsx`)
      if (process.env.TARO_ENV !== 'weapp') void Taro.showToast({ title: `已下载 ${name}`, icon: 'none', duration: TOAST_MS })
    } catch (caught) {
      showErrorToast(toAppError(caught))
    } finally {
      setExporting(false)
    }
  }

  const markFiled = async () => {
    if (!batch || filed.pending) return
    const { confirm } = await Taro.showModal({
      title: '标记已申报',
      content: '请确认名册已报送人社部门。标记后批次内的申报都变为“已申报”，并通知每位申请人。',
      confirmText: '已报送',
      cancelText: '取消',
    })
    if (confirm) await filed.run()
  }

  return (
    <AppPage className='review-page review-batch'>
      <PageState query={query} skeletonCards={3}>
        {detail && batch && (
          <View>
            <View className='review-card batch-head'>
              <View className='review-head'>
                <Text className='review-title'>
                  {batch.street} {formatMonth(batch.month)}
                </Text>
                <BatchStatusTag status={batch.status} />
              </View>
              <Text className='review-meta'>收件截止 {formatDateTime(batch.cutoff_at)}</Text>
              {batch.publicity_until && <Text className='review-meta'>公示至 {formatDateTime(batch.publicity_until)}</Text>}
              {batch.filed_at && <Text className='review-meta'>申报于 {formatDateTime(batch.filed_at)}</Text>}
              <Text className='review-meta'>
                {detail.applications.length}份申报 · 核定合计 {formatYuan(detail.applications.reduce((sum, row) => sum + Number(row.approved_amount ?? 0), 0))}
              </Text>
              <View className='review-actions'>
                <Button className='export-roster' type='primary' fill='outline' loading={exporting} disabled={!canExport || exporting} onClick={() => void runExport()}>
                  导出名册
                </Button>
                {batch.status === 'locked' && (
                  <Button className='mark-filed' type='primary' loading={filed.pending} disabled={filed.pending} onClick={() => void markFiled()}>
                    标记已申报
                  </Button>
                )}
              </View>
              {batch.status === 'open' && <Text className='review-hint'>批次截止后才能导出名册；截止后进入公示。</Text>}
            </View>

            {detail.problems.length > 0 && (
              <View>
                <Text className='review-section'>待完善（{detail.problems.length}）</Text>
                <View className='review-card batch-problems'>
                  {detail.problems.map((problem, n) => (
                    <Text
                      key={`${problem.application_id}-${n}`}
                      className='review-alert batch-problem'
                      onClick={() => problem.application_id && void navigateTo(PAGES.reviewApplication, { id: problem.application_id })}
                    >
                      {problem.problem}
                    </Text>
                  ))}
                </View>
              </View>
            )}

            <Text className='review-section'>申报（{detail.applications.length}）</Text>
            <PageState empty={detail.applications.length === 0} emptyTitle='批次里还没有申报' emptyDescription='审核通过的申报会自动进入批次'>
              {detail.applications.map((row) => (
                <View key={row.id} className='review-card batch-application'>
                  <View className='review-head' onClick={() => void navigateTo(PAGES.reviewApplication, { id: row.id })}>
                    <Text className='review-title'>{row.real_name_masked}</Text>
                    <ApplicationStatusTag status={row.status} />
                  </View>
                  <Text className='review-meta'>
                    {row.programme_name} · 核定 {formatYuan(row.approved_amount)}
                  </Text>
                  {row.disburse_note && <Text className='review-meta'>说明：{row.disburse_note}</Text>}
                  <Disburse batchId={batch.id} row={row} />
                </View>
              ))}
            </PageState>

            <Text className='review-section'>公示异议（{openObjections}条待答复）</Text>
            <PageState empty={detail.objections.length === 0} emptyTitle='没有异议' emptyDescription='公示期间任何人提出的异议都会显示在这里，申报前须逐条答复'>
              {detail.objections.map((objection) => (
                <Objection key={objection.id} batchId={batch.id} objection={objection} />
              ))}
            </PageState>
          </View>
        )}
      </PageState>
    </AppPage>
  )
}
