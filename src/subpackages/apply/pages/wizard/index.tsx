import { useEffect, useMemo, useRef, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Checkbox } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { APPLICATION_NOTICE_PARAGRAPHS, APPLICATION_NOTICE_TITLE, APPLICATION_NOTICE_VERSION } from '../../../../constants/application-notice'
import { PAGES, pageUrl } from '../../../../constants/routes'
import { useSaveDraftMutation, useConsentMutation, useSubmitMutation } from '../../../../services/applications/application-mutations'
import { findApplication, getLiveApplicationFor, getOwnSensitive } from '../../../../services/applications/application-query'
import { draftIds } from '../../../../services/applications/draft-id'
import {
  APPLICANT_FIELDS,
  BUSINESS_FIELDS,
  checkField,
  checkFields,
  draftFields,
  EMPTY_FORM,
  FIELD_LABELS,
  formFromSaved,
  isFieldKey,
  resumeStep,
  STEP_LABELS,
  STEPS,
  type ApplicationForm,
  type CheckContext,
  type FieldKey,
  type FormErrors,
  type Step,
} from '../../../../services/applications/form'
import { applicationKeys } from '../../../../services/applications/keys'
import { formatYuan, programmeMaterials } from '../../../../services/applications/labels'
import { programmeOpen, useProgramme } from '../../../../services/applications/programmes-query'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError, type AppError } from '../../../../services/errors'
import { useMyGroups } from '../../../../services/groups/use-my-groups'
import { useAppQuery } from '../../../../services/query/use-app-query'
import { formatDate, toDateValue } from '../../../../utils/date'
import { toastOnNextPage } from '../../../../utils/next-page-toast'
import { maskBankAccount } from '../../../../utils/bank-account'
import { maskResidentId } from '../../../../utils/resident-id'
import { switchTab } from '../../../../utils/navigation'
import { ApplicationFields } from '../../components/application-fields'
import { MaterialField } from '../../components/material-field'
import './index.scss'

const classPrefix = 'apply-wizard'

/** The field a refusal of the database names (its HINT), to show the message under that field. */
function refusedField(error: AppError | null): FieldKey | null {
  if (!error) return null
  const hint = error.detail.split(' | ').pop() ?? ''
  return isFieldKey(hint) ? hint : null
}

/**
 * Which application this wizard is on: the one in the link, else my live one for the programme (resumed
 * from the server, on any phone), else the id this phone chose for it earlier, else a new id (kept as
 * an id only, before anything is saved, so a retry reaches the same draft).
 */
function useApplicationId(userId: string | null, programmeId: string | null, linked: string | null) {
  const [id, setId] = useState<string | null>(linked)
  const [error, setError] = useState<AppError | null>(null)
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (linked || !userId || !programmeId) return
    let live = true
    setError(null)
    void (async () => {
      try {
        const existing = await getLiveApplicationFor(userId, programmeId)
        const chosen = existing?.id ?? (await draftIds().getOrCreate(userId, programmeId))
        if (live) setId(chosen)
      } catch (caught) {
        if (live) setError(toAppError(caught))
      }
    })()
    return () => {
      live = false
    }
  }, [userId, programmeId, linked, attempt])
  return { id, error, retry: () => setAttempt((n) => n + 1) }
}

/**
 * 填写申报: 同意 → 申请人 → 企业 → 材料 → 核对 → 提交. Each step is saved to the server before the next
 * opens (save_application_draft), so leaving and coming back, on this phone or another, resumes where it
 * stopped. The form lives only in this page's memory: nothing typed here is written to the phone's
 * storage. 提交 is one request per tap at most, and the server answers a repeat with the same submission.
 */
export default function ApplyWizardPage() {
  const router = useRouter()
  const programmeId = router.params.programme || null
  const user = useSessionUser()
  const programme = useProgramme(programmeId)
  const target = useApplicationId(user?.id ?? null, programmeId, router.params.id || null)
  const applicationId = target.id
  const saved = useAppQuery({
    key: [...applicationKeys.detail(applicationId ?? ''), 'wizard'],
    fetcher: () => findApplication(applicationId!),
    enabled: applicationId !== null && user !== null,
    staleTime: 0,
  })

  const [form, setForm] = useState<ApplicationForm>(EMPTY_FORM)
  const [errors, setErrors] = useState<FormErrors>({})
  const [step, setStep] = useState<Step | null>(null)
  const [agreed, setAgreed] = useState(false)
  const [stepError, setStepError] = useState<string | null>(null)
  const loaded = useRef(false)

  const save = useSaveDraftMutation(applicationId ?? '', programmeId ?? '')
  const consent = useConsentMutation(applicationId ?? '', programmeId ?? '')
  const submit = useSubmitMutation(applicationId ?? '', programmeId ?? '')
  const groups = useMyGroups(user?.id ?? null)

  const materials = useMemo(() => programmeMaterials(programme.data?.materials), [programme.data])
  const context: CheckContext = { today: toDateValue(new Date()), maxAmount: programme.data?.max_amount ?? null }
  const attached = saved.data?.materials ?? []
  const missingMaterials = materials.filter((m) => m.required && !attached.some((a) => a.material_key === m.key))

  // Fill the form in once, from the server (the full ID and account through application_sensitive), and
  // open the step where the person stopped.
  useEffect(() => {
    if (loaded.current || saved.status !== 'success' || !programme.data) return
    loaded.current = true
    const row = saved.data
    void (async () => {
      const p = programme.data!
      const sensitive = row ? await getOwnSensitive(row.id).catch(() => null) : null
      const next = row ? formFromSaved(row, sensitive, p.default_amount) : { ...EMPTY_FORM, requested_amount: p.default_amount?.toString() ?? '' }
      setForm(next)
      const consented = Boolean(row?.consented_at) && row?.consent_notice_version === APPLICATION_NOTICE_VERSION
      const materialsDone = materials.every((m) => !m.required || (row?.materials ?? []).some((a) => a.material_key === m.key))
      setStep(resumeStep(consented, next, context, materialsDone))
    })()
    // Once per opening: later refetches must not overwrite what the person is typing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved.status, programme.data])

  const change = (field: FieldKey, value: string) => {
    setForm((previous) => ({ ...previous, [field]: value }))
    setErrors((previous) => (previous[field] ? { ...previous, [field]: checkField(field, value, context) } : previous))
  }
  const blur = (field: FieldKey) => {
    setErrors((previous) => ({ ...previous, [field]: form[field].trim() ? checkField(field, form[field], context) : previous[field] }))
  }

  const go = (next: Step) => {
    setStepError(null)
    save.reset()
    setStep(next)
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => {})
  }

  const saveStep = async (fields: readonly FieldKey[], next: Step) => {
    const found = checkFields(form, fields, context)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    const result = await save.run(draftFields(form, fields))
    if (!result.ok) {
      const field = refusedField(result.error)
      if (field && result.error) setErrors((previous) => ({ ...previous, [field]: result.error!.message }))
      return
    }
    go(next)
  }

  const agree = async (groupId?: string) => {
    const result = await consent.run({ noticeVersion: APPLICATION_NOTICE_VERSION, groupId })
    if (result.ok) go('applicant')
  }
  // In several groups: the server asks which street handles the application (hint group_id).
  const chooseGroup = refusedField(consent.error) === null && consent.error?.detail.endsWith('| group_id') ? groups.data ?? [] : []

  const toReview = () => {
    if (missingMaterials.length > 0) {
      setStepError(`还缺：${missingMaterials.map((m) => m.name).join('、')}`)
      return
    }
    go('review')
  }

  const send = async () => {
    const result = await submit.run()
    if (!result.ok) return
    if (user && programmeId) draftIds().forget(user.id, programmeId)
    toastOnNextPage('已提交')
    void Taro.redirectTo({ url: `${pageUrl(PAGES.applicationDetail)}?id=${encodeURIComponent(applicationId!)}` })
  }

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='登录后才能申报'
          emptyDescription='申报需要填写您的身份信息，请先登录'
          emptyAction={
            <Button type='primary' size='large' onClick={() => void switchTab('me')}>
              去登录
            </Button>
          }
        />
      </AppPage>
    )
  }

  if (!programmeId) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='请先选择补贴项目' emptyDescription='在“申报”页选择要申报的补贴项目' />
      </AppPage>
    )
  }

  const loadError = programme.error ?? target.error ?? saved.error
  const row = saved.data
  const p = programme.data
  const ready = p && applicationId && saved.status === 'success' && step !== null
  if (!ready) {
    return (
      <AppPage className={classPrefix}>
        <PageState loading={!loadError} error={loadError} onRetry={() => void (target.error ? target.retry() : Promise.all([programme.refetch(), saved.refetch()]))} />
      </AppPage>
    )
  }

  // Submitted already (or on another phone): this wizard has nothing left to do; the detail page shows it.
  if (row && row.status !== 'draft') {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='这份申报已经提交'
          emptyDescription='可以在申报详情里查看审核进度'
          emptyAction={
            <Button type='primary' size='large' onClick={() => void Taro.redirectTo({ url: `${pageUrl(PAGES.applicationDetail)}?id=${encodeURIComponent(row.id)}` })}>
              查看申报详情
            </Button>
          }
        />
      </AppPage>
    )
  }

  if (!row && !programmeOpen(p, context.today)) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='这个项目目前不在申报期' emptyDescription={p.opens_on ? `申报时间：${formatDate(p.opens_on)}起${p.closes_on ? `，至${formatDate(p.closes_on)}` : ''}` : undefined} />
      </AppPage>
    )
  }

  const index = STEPS.indexOf(step)
  const saveError = save.error && !refusedField(save.error) ? save.error.message : null

  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__head`}>
        <Text className={`${classPrefix}__programme`}>{p.name}</Text>
        <Text className={`wizard-progress ${classPrefix}__progress`}>
          第{index + 1}步，共{STEPS.length}步：{STEP_LABELS[step]}
        </Text>
        <View className={`${classPrefix}__bar`}>
          {STEPS.map((s, n) => (
            <View key={s} className={`${classPrefix}__bar-step ${n <= index ? `${classPrefix}__bar-step--done` : ''}`} />
          ))}
        </View>
      </View>

      {step === 'consent' && (
        <View className={`wizard-consent ${classPrefix}__card`}>
          <Text className={`${classPrefix}__title`}>{APPLICATION_NOTICE_TITLE}</Text>
          {APPLICATION_NOTICE_PARAGRAPHS.map((text) => (
            <Text key={text} className={`${classPrefix}__text`}>
              {text}
            </Text>
          ))}
          <View className={`${classPrefix}__agree`}>
            <Checkbox className='wizard-agree' checked={agreed} onChange={setAgreed} label='我已阅读并同意收集以上信息用于补贴申报' />
          </View>
          {consent.error && (
            <View className={`${classPrefix}__error`} role='alert'>
              {consent.error.message}
            </View>
          )}
          {chooseGroup.map((group) => (
            <Button key={group.group_id} className='wizard-group' type='primary' fill='outline' size='large' block onClick={() => void agree(group.group_id)}>
              由{group.district}受理（{group.name}）
            </Button>
          ))}
          <Button className='wizard-consent-next' type='primary' size='large' block disabled={!agreed || consent.pending} loading={consent.pending} onClick={() => void agree()}>
            同意并继续
          </Button>
        </View>
      )}

      {(step === 'applicant' || step === 'business') && (
        <View className={`wizard-${step} ${classPrefix}__card`}>
          <Text className={`${classPrefix}__title`}>{step === 'applicant' ? '申请人信息' : '企业信息'}</Text>
          <Text className={`${classPrefix}__text`}>点“下一步”时保存到服务器，换一部手机登录也能接着填。</Text>
          {step === 'business' && p.amount_rule && <Text className={`${classPrefix}__text`}>补贴标准：{p.amount_rule}</Text>}
          <ApplicationFields form={form} fields={step === 'applicant' ? APPLICANT_FIELDS : BUSINESS_FIELDS} errors={errors} onChange={change} onBlur={blur} />
          {saveError && (
            <View className={`${classPrefix}__error`} role='alert'>
              {saveError}
            </View>
          )}
          <View className={`${classPrefix}__actions`}>
            <Button className='wizard-back' size='large' onClick={() => go(step === 'applicant' ? 'consent' : 'applicant')}>
              上一步
            </Button>
            <Button
              className='wizard-next'
              type='primary'
              size='large'
              loading={save.pending}
              disabled={save.pending}
              onClick={() => void (step === 'applicant' ? saveStep(APPLICANT_FIELDS, 'business') : saveStep(BUSINESS_FIELDS, 'materials'))}
            >
              下一步
            </Button>
          </View>
        </View>
      )}

      {step === 'materials' && (
        <View className={`wizard-materials ${classPrefix}__section`}>
          <Text className={`${classPrefix}__lead`}>请拍清楚、拍完整，图片会自动压缩；上传并检查通过后才算交上。</Text>
          {materials.map((material) => (
            <MaterialField
              key={material.key}
              applicationId={applicationId}
              applicantId={user.id}
              material={material}
              attached={attached.filter((a) => a.material_key === material.key)}
              editable
            />
          ))}
          {stepError && (
            <View className={`${classPrefix}__error`} role='alert'>
              {stepError}
            </View>
          )}
          <View className={`${classPrefix}__actions`}>
            <Button className='wizard-back' size='large' onClick={() => go('business')}>
              上一步
            </Button>
            <Button className='wizard-next' type='primary' size='large' onClick={toReview}>
              下一步
            </Button>
          </View>
        </View>
      )}

      {step === 'review' && (
        <View className={`wizard-review ${classPrefix}__card`}>
          <Text className={`${classPrefix}__title`}>核对申报信息</Text>
          {[...APPLICANT_FIELDS, ...BUSINESS_FIELDS].map((field) => (
            <View key={field} className={`${classPrefix}__row`}>
              <Text className={`${classPrefix}__row-label`}>{FIELD_LABELS[field]}</Text>
              <Text className={`${classPrefix}__row-value`}>
                {field === 'resident_id'
                  ? maskResidentId(form.resident_id)
                  : field === 'bank_account'
                    ? maskBankAccount(form.bank_account)
                    : field === 'registered_on' && form.registered_on
                      ? formatDate(form.registered_on)
                      : field === 'requested_amount'
                        ? formatYuan(form.requested_amount)
                        : form[field]}
              </Text>
            </View>
          ))}
          {materials.map((material) => (
            <View key={material.key} className={`${classPrefix}__row`}>
              <Text className={`${classPrefix}__row-label`}>{material.name}</Text>
              <Text className={`${classPrefix}__row-value`}>{`${attached.filter((a) => a.material_key === material.key).length}个文件`}</Text>
            </View>
          ))}
          <Text className={`${classPrefix}__text`}>提交后由您所在创业群的管家审核，审核期间不能修改；需要补正时管家会告诉您改哪几项。</Text>
          {submit.error && (
            <View className={`submit-error ${classPrefix}__error`} role='alert'>
              {submit.error.message}
            </View>
          )}
          <View className={`${classPrefix}__actions`}>
            <Button className='wizard-back' size='large' disabled={submit.pending} onClick={() => go('materials')}>
              上一步
            </Button>
            <Button className='wizard-submit' type='primary' size='large' loading={submit.pending} disabled={submit.pending} onClick={() => void send()}>
              提交申报
            </Button>
          </View>
        </View>
      )}
    </AppPage>
  )
}
