import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button, Cell, Empty, Skeleton } from '../../../../components/nutui'
import { Checkbox, DatePicker, Input, TextArea } from '../../../../components/nutui-form'
import { PRIVACY_NOTICE_SECTIONS, PRIVACY_NOTICE_TITLE, PRIVACY_NOTICE_VERSION } from '../../../../constants/privacy-notice'
import { getSession } from '../../../../services/auth/session'
import { useSessionUser } from '../../../../services/auth/use-session'
import { toAppError } from '../../../../services/errors'
import { acceptPrivacyNotice } from '../../../../services/profile/accept-privacy-notice'
import { completeOnboarding, type OnboardingInput } from '../../../../services/profile/complete-onboarding'
import { profileKeys } from '../../../../services/profile/keys'
import { useOwnProfile } from '../../../../services/profile/use-own-profile'
import { setQueryData } from '../../../../services/use-query'
import { ONBOARDING_LIMITS, validateOnboarding, type OnboardingErrors } from '../../../../services/profile/validate-onboarding'
import { formatDate, toDateValue } from '../../../../utils/date'
import { switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'onboarding'

/** The name every new WeChat account starts with (public.sign_in_wechat); not worth pre-filling. */
const PLACEHOLDER_NAME = '微信用户'

const EMPTY_FORM: OnboardingInput = { displayName: '', district: '', formerEmployer: '', displacedOn: '', startupIntention: '' }

function FieldError({ message }: { message?: string }) {
  if (!message) return null
  return <Text className={`${classPrefix}__field-error`}>{message}</Text>
}

/** Step 1: the privacy notice and an explicit, unticked consent box. */
function PrivacyStep({ onAccepted }: { onAccepted: () => void }) {
  const [agreed, setAgreed] = useState(false)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const savingRef = useRef(false)

  const accept = async () => {
    if (!agreed || savingRef.current) return
    savingRef.current = true
    setSaving(true)
    setError(null)
    try {
      await acceptPrivacyNotice(PRIVACY_NOTICE_VERSION)
      onAccepted()
    } catch (caught) {
      setError(toAppError(caught).message)
    } finally {
      savingRef.current = false
      setSaving(false)
    }
  }

  return (
    <View className={`${classPrefix}__step ${classPrefix}__privacy`}>
      <Text className={`${classPrefix}__title`}>{PRIVACY_NOTICE_TITLE}</Text>
      <Text className={`${classPrefix}__version`}>版本 {PRIVACY_NOTICE_VERSION}</Text>
      <View className={`${classPrefix}__notice`}>
        {PRIVACY_NOTICE_SECTIONS.map((section) => (
          <View key={section.heading} className={`${classPrefix}__notice-section`}>
            <Text className={`${classPrefix}__notice-heading`}>{section.heading}</Text>
            {section.paragraphs.map((paragraph) => (
              <Text key={paragraph} className={`${classPrefix}__notice-text`}>
                {paragraph}
              </Text>
            ))}
          </View>
        ))}
      </View>
      <View className={`${classPrefix}__consent`}>
        <Checkbox checked={agreed} onChange={setAgreed} label='我已阅读并同意《隐私保护指引》' />
      </View>
      {error && <Text className={`${classPrefix}__error`}>{error}</Text>}
      <Button type='primary' size='large' block disabled={!agreed || saving} loading={saving} onClick={() => void accept()}>
        同意并继续
      </Button>
      <Button className={`${classPrefix}__decline`} size='large' block fill='none' onClick={() => void switchTab('me')}>
        暂不同意
      </Button>
    </View>
  )
}

/** Step 2: the profile form, saved through complete_onboarding. */
function ProfileStep({ initialName, onNeedsConsent }: { initialName: string; onNeedsConsent: () => void }) {
  const [form, setForm] = useState<OnboardingInput>({ ...EMPTY_FORM, displayName: initialName })
  const [errors, setErrors] = useState<OnboardingErrors>({})
  const [serverError, setServerError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [pickingDate, setPickingDate] = useState(false)
  // A ref as well as state: two taps in one frame both see the state from before the first.
  const savingRef = useRef(false)
  const today = new Date()

  const set = (field: keyof OnboardingInput) => (value: string) => {
    setForm((previous) => ({ ...previous, [field]: value }))
    setErrors((previous) => ({ ...previous, [field]: undefined }))
  }

  const save = async () => {
    if (savingRef.current) return
    const found = validateOnboarding(form, toDateValue(new Date()))
    setErrors(found)
    setServerError(null)
    if (Object.keys(found).length > 0) return
    savingRef.current = true
    setSaving(true)
    try {
      const saved = await completeOnboarding(form)
      setQueryData(profileKeys.own(saved.id), saved)
      getSession().updateUser({ display_name: saved.display_name, onboarded: true })
      void Taro.showToast({ title: '资料已保存', icon: 'success' })
      await switchTab('me')
    } catch (caught) {
      const error = toAppError(caught)
      if (error.detail.includes('privacy_notice_required')) onNeedsConsent()
      setServerError(error.message)
    } finally {
      savingRef.current = false
      setSaving(false)
    }
  }

  return (
    <View className={`${classPrefix}__step ${classPrefix}__form`}>
      <Text className={`${classPrefix}__title`}>完善个人资料</Text>
      <Text className={`${classPrefix}__lead`}>这些信息只给为您服务的创业管家看，方便他们了解情况、及时联系您。</Text>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>姓名</Text>
        <Input className={`${classPrefix}__input ${classPrefix}__name`} value={form.displayName} onChange={set('displayName')} placeholder='请填写真实姓名' maxLength={ONBOARDING_LIMITS.nameMax} />
        <FieldError message={errors.displayName} />
      </View>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>所属街道</Text>
        <Input className={`${classPrefix}__input ${classPrefix}__district`} value={form.district} onChange={set('district')} placeholder='如：四方区兴隆路街道' maxLength={ONBOARDING_LIMITS.districtMax} />
        <FieldError message={errors.district} />
      </View>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>原单位（选填）</Text>
        <Input className={`${classPrefix}__input ${classPrefix}__employer`} value={form.formerEmployer} onChange={set('formerEmployer')} placeholder='如：青岛钢铁' maxLength={ONBOARDING_LIMITS.employerMax} />
        <FieldError message={errors.formerEmployer} />
      </View>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>分流日期（选填）</Text>
        <Cell
          className={`${classPrefix}__date`}
          clickable
          title={form.displacedOn ? formatDate(form.displacedOn) : <Text className={`${classPrefix}__placeholder`}>请选择日期</Text>}
          extra='›'
          onClick={() => setPickingDate(true)}
        />
        <DatePicker
          title='选择分流日期'
          type='date'
          visible={pickingDate}
          showChinese
          startDate={new Date(`${ONBOARDING_LIMITS.earliestDisplacedOn}T00:00:00`)}
          endDate={today}
          defaultValue={form.displacedOn ? new Date(`${form.displacedOn}T00:00:00`) : today}
          onClose={() => setPickingDate(false)}
          onConfirm={(_, values) => {
            const [year, month, day] = values.map((value) => Number(value))
            set('displacedOn')(toDateValue(new Date(year, month - 1, day)))
          }}
        />
        <FieldError message={errors.displacedOn} />
      </View>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>创业意向（选填）</Text>
        <TextArea
          className={`${classPrefix}__intention`}
          value={form.startupIntention}
          onChange={set('startupIntention')}
          placeholder='想做什么？比如开一家社区早餐店、做家政服务'
          maxLength={ONBOARDING_LIMITS.intentionMax}
          showCount
        />
        <FieldError message={errors.startupIntention} />
      </View>

      {serverError && (
        <View className={`${classPrefix}__error`} role='alert'>
          <Text>{serverError}</Text>
        </View>
      )}
      <Button className={`${classPrefix}__submit`} type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void save()}>
        保存
      </Button>
    </View>
  )
}

/**
 * First-time setup after the first sign-in: the privacy notice and consent, then the profile. Someone
 * who already accepted this version of the notice goes straight to the form; afterwards, 我的.
 */
export default function OnboardingPage() {
  const user = useSessionUser()
  const profile = useOwnProfile(user?.id ?? null)
  const [step, setStep] = useState<'privacy' | 'profile' | null>(null)

  useEffect(() => {
    if (step !== null || profile.status !== 'success' || !profile.data) return
    setStep(profile.data.privacy_version === PRIVACY_NOTICE_VERSION ? 'profile' : 'privacy')
  }, [profile.status, profile.data, step])

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <Empty title='请先登录' description='登录后再完善个人资料'>
          <Button type='primary' size='large' onClick={() => void switchTab('me')}>
            去登录
          </Button>
        </Empty>
      </AppPage>
    )
  }

  if (profile.status === 'error' && !profile.data) {
    return (
      <AppPage className={classPrefix}>
        <Empty status='error' title={profile.error?.message}>
          <Button type='primary' size='large' loading={profile.isFetching} onClick={() => void profile.refetch()}>
            重新加载
          </Button>
        </Empty>
      </AppPage>
    )
  }

  if (step === null || !profile.data) {
    return (
      <AppPage className={classPrefix} aria-busy='true'>
        <Skeleton rows={6} animated />
      </AppPage>
    )
  }

  const name = profile.data.display_name === PLACEHOLDER_NAME ? '' : profile.data.display_name
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__steps`}>
        <Text className={step === 'privacy' ? `${classPrefix}__step-label--active` : ''}>1 阅读隐私保护指引</Text>
        <Text className={`${classPrefix}__step-arrow`}>›</Text>
        <Text className={step === 'profile' ? `${classPrefix}__step-label--active` : ''}>2 完善资料</Text>
      </View>
      {step === 'privacy' ? (
        <PrivacyStep onAccepted={() => setStep('profile')} />
      ) : (
        <ProfileStep initialName={name} onNeedsConsent={() => setStep('privacy')} />
      )}
    </AppPage>
  )
}
