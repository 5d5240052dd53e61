import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Checkbox, Input, TextArea } from '../../../../components/nutui-form'
import { ImageViewer } from '../../../../components/image-viewer'
import { PageState } from '../../../../components/page-state'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError } from '../../../../services/errors'
import { showErrorToast, TOAST_MS } from '../../../../services/query/use-app-mutation'
import { useReviewApplication, type ReviewApplication } from '../../../../services/review/application-query'
import { openPdf } from '../../../../services/review/documents'
import {
  APPLICATION_STATUS_LABELS,
  checkAmount,
  formatDateTime,
  formatYuan,
  programmeMaterials,
  SUPPLEMENT_FIELDS,
  suggestedAmount,
  supplementItemLabel,
  supplementItems,
  type ApplicationStatus,
  type SupplementItem,
} from '../../../../services/review/labels'
import { DECISION_TOASTS, HANDLED_ELSEWHERE, isHandledElsewhere, useConfirmCreditCode, useReviewDecision, type ReviewDecision } from '../../../../services/review/review-mutations'
import { REVEAL_NOTICE, revealSensitive } from '../../../../services/review/sensitive'
import { signedUrls } from '../../../../services/storage/file-urls'
import { formatDate } from '../../../../utils/date'
import { FieldRow } from '../../components/field-row'
import { ApplicationStatusTag } from '../../components/status-tag'
import '../../components/review.scss'

type Panel = null | 'approve' | 'reject' | 'supplement'
type Sensitive = 'resident_id' | 'bank_account'

const REVIEWABLE: readonly string[] = ['submitted', 'under_review']

/** The attached files of one material: photos as thumbnails, PDFs as buttons that open them. */
function MaterialFiles({ files }: { files: ReviewApplication['materials'] }) {
  const images = files.filter((f) => f.mime !== 'application/pdf').map((f) => f.object_path)
  const pdfs = files.filter((f) => f.mime === 'application/pdf')
  const open = async (path: string) => {
    try {
      const [url] = await signedUrls('application-materials', [path])
      await openPdf(url)
    } catch (caught) {
      showErrorToast(toAppError(caught))
    }
  }
  if (files.length === 0) return <Text className='review-alert'>未上传</Text>
  return (
    <View>
      {images.length > 0 && <ImageViewer className='material-images' bucket='application-materials' paths={images} />}
      {pdfs.map((file, n) => (
        <Button key={file.id} className='material-pdf' size='small' fill='outline' type='primary' onClick={() => void open(file.object_path)}>
          打开PDF{pdfs.length > 1 ? ` ${n + 1}` : ''}
        </Button>
      ))}
    </View>
  )
}

/** 补正: tick the fields and materials to redo, add a note; the worker may change only those. */
function SupplementPanel({ application, onSubmit, busy }: { application: ReviewApplication; onSubmit: (items: SupplementItem[], note: string) => void; busy: boolean }) {
  const materials = programmeMaterials(application.programme?.materials)
  const [picked, setPicked] = useState<string[]>([])
  const [note, setNote] = useState('')
  const options = [
    ...materials.map((m) => ({ id: `material:${m.key}`, label: `材料：${m.name}` })),
    ...SUPPLEMENT_FIELDS.map((f) => ({ id: `field:${f.key}`, label: `信息：${f.label}` })),
  ]
  const items: SupplementItem[] = picked.map((id) => {
    const [kind, key] = id.split(':') as ['field' | 'material', string]
    return { kind, key }
  })
  return (
    <View className='review-form supplement-panel'>
      <Text className='review-label'>请勾选需要职工重新提交的材料或信息（其余内容保持锁定）：</Text>
      <View className='supplement-items'>
        {options.map((option) => (
          <Checkbox
            key={option.id}
            className='supplement-item'
            checked={picked.includes(option.id)}
            onChange={(checked: boolean) => setPicked((previous) => (checked ? [...previous.filter((id) => id !== option.id), option.id] : previous.filter((id) => id !== option.id)))}
            label={option.label}
          />
        ))}
      </View>
      <TextArea className='review-input supplement-note' value={note} onChange={setNote} placeholder='补正说明，如：身份证照片反光看不清，请在光线充足处重拍' maxLength={500} showCount />
      <Button
        className='confirm-supplement'
        type='primary'
        size='large'
        block
        loading={busy}
        disabled={busy || items.length === 0}
        onClick={() => onSubmit(items, note)}
      >
        通知补正（{items.length}项）
      </Button>
    </View>
  )
}

/**
 * One application as its reviewer sees it: the applicant and the business (resident ID and bank account
 * masked; 查看 shows them and is recorded), each material's files through short-lived signed URLs, the
 * open 补正 list, the timeline of every status change, and the decisions: 开始审核, 通过 with an amount
 * (the requested or standard amount offered, at most the programme's maximum), 不通过 with a reason,
 * 补正 with the items to redo. Every button is disabled while a decision is on its way, and when another
 * butler decided first the page says so and shows the application as it is now.
 */
export default function ReviewApplicationPage() {
  const router = useRouter()
  const applicationId = router.params.id ? decodeURIComponent(router.params.id) : null
  const user = useSessionUser()
  const staff = user !== null && user.role !== 'worker'
  const query = useReviewApplication(staff ? applicationId : null)
  const decision = useReviewDecision(applicationId ?? '')
  const confirmCode = useConfirmCreditCode(applicationId ?? '')
  const [panel, setPanel] = useState<Panel>(null)
  const [amount, setAmount] = useState('')
  const [approveNote, setApproveNote] = useState('')
  const [reason, setReason] = useState('')
  const [revealed, setRevealed] = useState<Partial<Record<Sensitive, string>>>({})
  const [revealing, setRevealing] = useState(false)
  const [told, setTold] = useState(false)

  usePullDownRefresh(() => {
    void query.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  if (!staff || !applicationId) {
    return (
      <AppPage className='review-page review-application'>
        <PageState empty emptyTitle={staff ? '没有指定申报' : '申报审核仅供创业管家使用'} emptyDescription='请从审核队列打开一份申报' />
      </AppPage>
    )
  }

  const application = query.data
  const materials = application ? programmeMaterials(application.programme?.materials) : []
  const openItems = application ? supplementItems(application.supplement) : []
  // One's own application is reviewed by a colleague (the database refuses it: 不能审核自己的申报).
  const ownApplication = !!application && application.applicant_id === user?.id
  const reviewable = !!application && REVIEWABLE.includes(application.status) && !ownApplication
  const busy = decision.pending

  const reveal = async (field: Sensitive) => {
    if (revealing) return
    if (!told) {
      const { confirm } = await Taro.showModal({ title: '查看完整信息', content: REVEAL_NOTICE, confirmText: '查看', cancelText: '取消' })
      if (!confirm) return
      setTold(true)
    }
    setRevealing(true)
    try {
      const values = await revealSensitive(applicationId)
      setRevealed((previous) => ({ ...previous, [field]: values[field] ?? '' }))
    } catch (caught) {
      showErrorToast(toAppError(caught))
    } finally {
      setRevealing(false)
    }
  }

  const run = async (next: ReviewDecision) => {
    if (busy) return
    const outcome = await decision.run(next)
    if (outcome.ok) {
      setPanel(null)
      void Taro.showToast({ title: DECISION_TOASTS[next.action], icon: 'success', duration: TOAST_MS })
      return
    }
    if (!outcome.error) return
    if (isHandledElsewhere(outcome.error)) {
      setPanel(null)
      await Taro.showModal({ title: HANDLED_ELSEWHERE, content: '页面已刷新，请查看最新状态。', showCancel: false, confirmText: '知道了' })
      await query.refetch()
      return
    }
    showErrorToast(outcome.error)
  }

  const openPanel = (next: Panel) => {
    if (next === 'approve' && application) {
      setAmount(suggestedAmount(application.programme?.default_amount, application.requested_amount, application.programme?.max_amount))
    }
    setPanel(panel === next ? null : next)
  }

  const approve = () => {
    if (!application) return
    const problem = checkAmount(amount, application.programme?.max_amount)
    if (problem) {
      void Taro.showToast({ title: problem, icon: 'none', duration: TOAST_MS })
      return
    }
    void run({ action: 'approve', amount: Number(amount.trim()), note: approveNote })
  }

  const reject = () => {
    if (reason.trim().length < 2) {
      void Taro.showToast({ title: '请填写不通过的原因（至少2个字）', icon: 'none', duration: TOAST_MS })
      return
    }
    void run({ action: 'reject', reason })
  }

  const sensitiveAction = (field: Sensitive) =>
    revealed[field] === undefined ? (
      <Button className={`reveal-${field.replace('_', '-')}`} size='small' fill='outline' type='primary' disabled={revealing} onClick={() => void reveal(field)}>
        查看
      </Button>
    ) : undefined

  return (
    <AppPage className='review-page review-application'>
      <PageState query={query} skeletonCards={3}>
        {application && (
          <View>
            <View className='review-card application-head'>
              <View className='review-head'>
                <Text className='review-title'>{application.programme?.name ?? '补贴申报'}</Text>
                <ApplicationStatusTag status={application.status} />
              </View>
              <Text className='review-meta'>
                {application.applicant?.display_name ?? application.real_name ?? ''} · {application.group?.name ?? application.street}
              </Text>
              <Text className='review-meta'>提交于 {formatDateTime(application.submitted_at)}</Text>
              {application.approved_amount !== null && <Text className='review-meta approved-amount'>核定金额 {formatYuan(application.approved_amount)}</Text>}
              {application.reject_reason && <Text className='review-alert'>不通过原因：{application.reject_reason}</Text>}
            </View>

            {application.status === 'needs_supplement' && openItems.length > 0 && (
              <View className='review-notice supplement-open-list'>
                <Text>等待职工补正：{openItems.map((item) => supplementItemLabel(item, materials)).join('、')}</Text>
              </View>
            )}

            <Text className='review-section'>申请人</Text>
            <View className='review-card'>
              <FieldRow label='姓名' value={application.real_name} />
              <FieldRow className='field-resident-id' label='身份证号' value={revealed.resident_id ?? application.resident_id_masked} action={sensitiveAction('resident_id')} />
              <FieldRow label='联系电话' value={application.phone} />
              <FieldRow label='开户银行' value={application.bank_name} />
              <FieldRow className='field-bank-account' label='银行账号' value={revealed.bank_account ?? application.bank_account_masked} action={sensitiveAction('bank_account')} />
              <Text className='review-hint'>点“查看”会记录查看人和时间，管理员可查阅。</Text>
            </View>

            <Text className='review-section'>经营主体</Text>
            <View className='review-card'>
              <FieldRow label='企业名称' value={application.business_name} />
              <FieldRow label='信用代码' value={application.credit_code} />
              {application.credit_code_needs_review && (
                <View className='review-notice credit-code-flag'>
                  <Text>统一社会信用代码校验位不符，请对照营业执照人工核对。</Text>
                  {['submitted', 'under_review', 'approved'].includes(application.status) && (
                    <Button className='confirm-credit-code' size='small' fill='outline' type='primary' loading={confirmCode.pending} disabled={confirmCode.pending} onClick={() => void confirmCode.run()}>
                      已核对无误
                    </Button>
                  )}
                </View>
              )}
              <FieldRow label='登记日期' value={application.registered_on ? formatDate(application.registered_on) : ''} />
              <FieldRow label='从业人数' value={application.employees === null ? '' : `${application.employees}人`} />
              <FieldRow label='申请金额' value={formatYuan(application.requested_amount)} />
            </View>

            <Text className='review-section'>申报材料</Text>
            <View className='review-card application-materials'>
              {materials.map((material) => (
                <View key={material.key} className='review-field material-row'>
                  <Text className='review-field__label'>
                    {material.name}
                    {material.required ? '' : '（选填）'}
                  </Text>
                  <View className='review-field__value'>
                    <MaterialFiles files={application.materials.filter((f) => f.material_key === material.key)} />
                  </View>
                </View>
              ))}
              {materials.length === 0 && <Text className='review-hint'>本项目不需要材料</Text>}
            </View>

            {ownApplication && REVIEWABLE.includes(application.status) && (
              <Text className='review-hint own-application'>这是您本人的申报，请由本群其他管家审核</Text>
            )}
            {reviewable && (
              <View>
                <Text className='review-section'>审核</Text>
                <View className='review-card review-decisions'>
                  <View className='review-actions'>
                    {application.status === 'submitted' && (
                      <Button className='start-review' type='primary' fill='outline' loading={busy} disabled={busy} onClick={() => void run({ action: 'start' })}>
                        开始审核
                      </Button>
                    )}
                    <Button className='open-approve' type={panel === 'approve' ? 'primary' : 'default'} disabled={busy} onClick={() => openPanel('approve')}>
                      通过
                    </Button>
                    <Button className='open-reject' type={panel === 'reject' ? 'primary' : 'default'} disabled={busy} onClick={() => openPanel('reject')}>
                      不通过
                    </Button>
                    <Button className='open-supplement' type={panel === 'supplement' ? 'primary' : 'default'} disabled={busy} onClick={() => openPanel('supplement')}>
                      补正
                    </Button>
                  </View>

                  {panel === 'approve' && (
                    <View className='review-form approve-panel'>
                      <Text className='review-label'>核定金额（元）</Text>
                      <Input className='review-input approve-amount' type='digit' value={amount} onChange={setAmount} placeholder='如：10000' />
                      <Text className='review-hint'>
                        {application.programme?.amount_rule ?? ''}
                        {application.programme?.max_amount != null ? ` 上限${formatYuan(application.programme?.max_amount)}` : ''}
                      </Text>
                      <Input className='review-input approve-note' value={approveNote} onChange={setApproveNote} placeholder='备注（选填）' maxLength={200} />
                      <Button className='confirm-approve' type='primary' size='large' block loading={busy} disabled={busy} onClick={approve}>
                        确认通过
                      </Button>
                    </View>
                  )}

                  {panel === 'reject' && (
                    <View className='review-form reject-panel'>
                      <Text className='review-label'>不通过的原因（会通知职工，并告知如何申诉）</Text>
                      <TextArea className='review-input reject-reason' value={reason} onChange={setReason} placeholder='如：营业执照登记日期早于政策规定时间' maxLength={500} showCount />
                      <Button className='confirm-reject' type='danger' size='large' block loading={busy} disabled={busy} onClick={reject}>
                        确认不通过
                      </Button>
                    </View>
                  )}

                  {panel === 'supplement' && <SupplementPanel application={application} busy={busy} onSubmit={(items, note) => void run({ action: 'supplement', items, note })} />}
                </View>
              </View>
            )}

            <Text className='review-section'>办理记录</Text>
            <View className='review-card review-timeline application-timeline'>
              {application.events.map((event) => (
                <View key={event.id} className='review-event timeline-event'>
                  <Text className='review-event__title'>{APPLICATION_STATUS_LABELS[event.to_status as ApplicationStatus] ?? event.to_status}</Text>
                  <Text className='review-meta'>
                    {formatDateTime(event.created_at)} · {event.actor_id ? (application.actorNames[event.actor_id] ?? '工作人员') : '系统'}
                  </Text>
                  {event.note && <Text className='review-meta'>{event.note}</Text>}
                </View>
              ))}
              {application.events.length === 0 && <Text className='review-hint'>暂无记录</Text>}
            </View>
          </View>
        )}
      </PageState>
    </AppPage>
  )
}
