import { useEffect, useMemo, useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSaveDraftMutation, useSubmitMutation } from '../../../../services/applications/application-mutations'
import { getOwnSensitive, useApplication, type ApplicationDetail } from '../../../../services/applications/application-query'
import {
  checkFields,
  draftFields,
  EMPTY_FORM,
  FIELD_LABELS,
  formFromSaved,
  isFieldKey,
  supplementItems,
  type ApplicationForm,
  type CheckContext,
  type FieldKey,
  type FormErrors,
} from '../../../../services/applications/form'
import { APPEAL_TEXT, formatYuan, programmeMaterials } from '../../../../services/applications/labels'
import { useSessionUser } from '../../../../services/auth/use-session'
import { formatDate, formatDateTime, toDateValue } from '../../../../utils/date'
import { navigateTo } from '../../../../utils/navigation'
import { ApplicationFields } from '../../components/application-fields'
import { MaterialField } from '../../components/material-field'
import { StatusTag } from '../../components/status-tag'
import { Timeline } from '../../components/timeline'
import './index.scss'

const classPrefix = 'application-detail'

function InfoRow({ label, value }: { label: string; value: string }) {
  return (
    <View className={`${classPrefix}__row`}>
      <Text className={`${classPrefix}__row-label`}>{label}</Text>
      <Text className={`${classPrefix}__row-value`}>{value || '—'}</Text>
    </View>
  )
}

/**
 * 补正: the butler's list of what to redo. Only the listed fields are inputs and only the listed materials
 * can change (the server refuses anything else: 该项已锁定); 保存并重新提交 saves those fields and submits
 * again (待补正 → 已提交).
 */
function Supplement({ application, applicantId }: { application: ApplicationDetail; applicantId: string }) {
  const items = useMemo(() => supplementItems(application.supplement), [application.supplement])
  const fieldNotes: Partial<Record<FieldKey, string>> = {}
  for (const item of items) if (item.kind === 'field' && isFieldKey(item.key)) fieldNotes[item.key] = item.note
  const fields = Object.keys(fieldNotes) as FieldKey[]
  const materialNotes = new Map(items.filter((i) => i.kind === 'material').map((i) => [i.key, i.note]))
  const materials = programmeMaterials(application.programme.materials).filter((m) => materialNotes.has(m.key))
  const [form, setForm] = useState<ApplicationForm>(EMPTY_FORM)
  const [errors, setErrors] = useState<FormErrors>({})
  const save = useSaveDraftMutation(application.id, application.programme_id)
  const submit = useSubmitMutation(application.id, application.programme_id)
  const context: CheckContext = { today: toDateValue(new Date()), maxAmount: application.programme.max_amount }

  // The listed fields start with what was sent (the full ID or account only when they are listed).
  useEffect(() => {
    let live = true
    const needsSensitive = fields.includes('resident_id') || fields.includes('bank_account')
    void (needsSensitive ? getOwnSensitive(application.id).catch(() => null) : Promise.resolve(null)).then((sensitive) => {
      if (live) setForm(formFromSaved(application, sensitive, null))
    })
    return () => {
      live = false
    }
    // Once per 补正 request (the version changes when the butler asks again).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [application.id, application.version])

  const resubmit = async () => {
    const found = checkFields(form, fields, context)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    if (fields.length > 0) {
      const saved = await save.run(draftFields(form, fields))
      if (!saved.ok) return
    }
    const sent = await submit.run()
    if (sent.ok) void Taro.showToast({ title: '已重新提交', icon: 'success' })
  }

  const error = save.error ?? submit.error
  return (
    <View className={`supplement ${classPrefix}__card ${classPrefix}__card--supplement`}>
      <Text className={`${classPrefix}__title`}>需要补正</Text>
      <Text className={`${classPrefix}__text`}>管家请您修改下面几项，其他内容已锁定不能修改。改好后点“重新提交”。</Text>
      {items.map((item) => (
        <Text key={`${item.kind}-${item.key}`} className={`supplement-item ${classPrefix}__item`}>
          · {item.kind === 'field' && isFieldKey(item.key) ? FIELD_LABELS[item.key] : (programmeMaterials(application.programme.materials).find((m) => m.key === item.key)?.name ?? item.key)}
          {item.note ? `：${item.note}` : ''}
        </Text>
      ))}
      {fields.length > 0 && (
        <ApplicationFields
          form={form}
          fields={fields}
          errors={errors}
          notes={fieldNotes}
          onChange={(field, value) => setForm((previous) => ({ ...previous, [field]: value }))}
          onBlur={() => {}}
        />
      )}
      {materials.map((material) => (
        <MaterialField
          key={material.key}
          applicationId={application.id}
          applicantId={applicantId}
          material={material}
          attached={application.materials.filter((m) => m.material_key === material.key)}
          editable
          supplementNote={materialNotes.get(material.key) ?? ''}
        />
      ))}
      {error && (
        <View className={`${classPrefix}__error`} role='alert'>
          {error.message}
        </View>
      )}
      <Button className='resubmit' type='primary' size='large' block loading={save.pending || submit.pending} disabled={save.pending || submit.pending} onClick={() => void resubmit()}>
        重新提交
      </Button>
    </View>
  )
}

/**
 * 申报详情: where the application stands (its timeline: every step with its time), the reason and how to
 * appeal when it was not approved, the 补正 list when the butler asked for one, and what was sent
 * (the resident ID and bank account masked).
 */
export default function ApplicationDetailPage() {
  const router = useRouter()
  const id = router.params.id || null
  const user = useSessionUser()
  const application = useApplication(user ? id : null)

  usePullDownRefresh(() => {
    void application.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const a = application.data
  const materials = a ? programmeMaterials(a.programme.materials) : []
  return (
    <AppPage className={classPrefix}>
      <PageState query={user && id ? application : undefined} empty={!user || !id} emptyTitle={user ? '没有找到这份申报' : '登录后查看申报详情'}>
        {a && (
          <>
            <View className={`${classPrefix}__card`}>
              <View className={`${classPrefix}__head`}>
                <Text className={`application-title ${classPrefix}__name`}>{a.programme.name}</Text>
                <StatusTag status={a.status} className='application-detail-status' />
              </View>
              {a.submitted_at && <Text className={`${classPrefix}__meta`}>提交于 {formatDateTime(a.submitted_at)}</Text>}
              <Text className={`${classPrefix}__meta`}>申请金额 {formatYuan(a.requested_amount)}</Text>
              {a.approved_amount !== null && <Text className={`${classPrefix}__meta ${classPrefix}__meta--strong`}>核定金额 {formatYuan(a.approved_amount)}</Text>}
              {a.status === 'draft' && (
                <Button className='continue-draft' type='primary' size='large' block onClick={() => void navigateTo(PAGES.applyWizard, { programme: a.programme_id, id: a.id })}>
                  继续填写
                </Button>
              )}
            </View>

            {a.status === 'rejected' && (
              <View className={`rejection ${classPrefix}__card ${classPrefix}__card--rejected`}>
                <Text className={`${classPrefix}__title`}>未通过的原因</Text>
                <Text className={`${classPrefix}__text`}>{a.reject_reason || '管家没有写明原因，请联系您的创业管家'}</Text>
                <Text className={`${classPrefix}__text`}>{APPEAL_TEXT}</Text>
                <Button type='primary' fill='outline' size='large' block onClick={() => void navigateTo(PAGES.applyProgramme, { id: a.programme_id })}>
                  查看项目，重新申报
                </Button>
              </View>
            )}

            {a.status === 'not_disbursed' && a.disburse_note && (
              <View className={`${classPrefix}__card ${classPrefix}__card--rejected`}>
                <Text className={`${classPrefix}__title`}>未发放的原因</Text>
                <Text className={`${classPrefix}__text`}>{a.disburse_note}</Text>
                <Text className={`${classPrefix}__text`}>{APPEAL_TEXT}</Text>
              </View>
            )}

            {a.status === 'needs_supplement' && user && <Supplement application={a} applicantId={user.id} />}

            <View className={`${classPrefix}__card`}>
              <Text className={`${classPrefix}__title`}>办理进度</Text>
              <Timeline events={a.events} />
            </View>

            <View className={`${classPrefix}__card`}>
              <Text className={`${classPrefix}__title`}>申报信息</Text>
              <InfoRow label='真实姓名' value={a.real_name ?? ''} />
              <InfoRow label='身份证号' value={a.resident_id_masked ?? ''} />
              <InfoRow label='手机号' value={a.phone ?? ''} />
              <InfoRow label='开户银行' value={a.bank_name ?? ''} />
              <InfoRow label='银行账号' value={a.bank_account_masked ?? ''} />
              <InfoRow label='企业（个体户）名称' value={a.business_name ?? ''} />
              <InfoRow label='统一社会信用代码' value={`${a.credit_code ?? ''}${a.credit_code_needs_review ? '（待管家人工核对）' : ''}`} />
              <InfoRow label='营业执照登记日期' value={a.registered_on ? formatDate(a.registered_on) : ''} />
              <InfoRow label='从业人数' value={a.employees === null ? '' : `${a.employees}人`} />
            </View>

            {a.status !== 'needs_supplement' && materials.length > 0 && user && (
              <View className={`${classPrefix}__section`}>
                <Text className={`${classPrefix}__title`}>申报材料</Text>
                {materials.map((material) => (
                  <MaterialField
                    key={material.key}
                    applicationId={a.id}
                    applicantId={user.id}
                    material={material}
                    attached={a.materials.filter((m) => m.material_key === material.key)}
                    editable={false}
                  />
                ))}
              </View>
            )}
          </>
        )}
      </PageState>
    </AppPage>
  )
}
