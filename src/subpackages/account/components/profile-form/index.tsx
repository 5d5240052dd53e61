import { useState, type FunctionComponent } from 'react'
import { Text, View } from '@tarojs/components'
import { Button, Cell } from '../../../../components/nutui'
import { DatePicker, Input, TextArea } from '../../../../components/nutui-form'
import { useCompleteOnboardingMutation, type OnboardingInput, type SavedProfile } from '../../../../services/profile/complete-onboarding'
import {
  fieldMaxLength,
  ONBOARDING_LIMITS,
  textLength,
  validateOnboarding,
  validateOnboardingField,
  type OnboardingErrors,
} from '../../../../services/profile/validate-onboarding'
import { formatDate, toDateValue } from '../../../../utils/date'
import { toastOnNextPage } from '../../../../utils/next-page-toast'
import './index.scss'

const classPrefix = 'profile-form'

export const EMPTY_PROFILE_FORM: OnboardingInput = { displayName: '', district: '', formerEmployer: '', displacedOn: '', startupIntention: '' }

export interface ProfileFormProps {
  /** What the fields start with (the saved profile when editing; empty at onboarding). */
  initial: OnboardingInput
  title: string
  lead: string
  className?: string
  /** After the database saved the profile (already on 我的 and in the session): where to go next. */
  onSaved: (profile: SavedProfile) => unknown
  /** The database refused because the privacy notice is not (or no longer) accepted. */
  onNeedsConsent?: () => void
}

function FieldError({ message }: { message?: string }) {
  if (!message) return null
  return <Text className={`${classPrefix}__field-error`}>{message}</Text>
}

/**
 * The profile form (姓名, 所属街道, 原单位, 分流日期, 创业意向) of onboarding and of 编辑资料: checks the
 * fields in Chinese before sending, saves once however often the button is pressed, through the
 * complete_onboarding RPC (a POST, as the mini-program needs), and shows the saved profile at once.
 */
export const ProfileForm: FunctionComponent<ProfileFormProps> = ({ initial, title, lead, className, onSaved, onNeedsConsent }) => {
  const [form, setForm] = useState<OnboardingInput>(initial)
  const [errors, setErrors] = useState<OnboardingErrors>({})
  const [pickingDate, setPickingDate] = useState(false)
  const save = useCompleteOnboardingMutation()
  const today = new Date()
  const intentionLength = textLength(form.startupIntention)

  // Typing past a field's limit says so at once (nothing is cut); a field already marked wrong is checked
  // again as the person corrects it; anything else waits for 保存.
  const set = (field: keyof OnboardingInput) => (value: string) => {
    setForm((previous) => ({ ...previous, [field]: value }))
    setErrors((previous) => {
      const max = fieldMaxLength(field)
      const recheck = previous[field] !== undefined || (max !== undefined && textLength(value) > max)
      return { ...previous, [field]: recheck ? validateOnboardingField(field, value, toDateValue(new Date())) : undefined }
    })
  }

  const submit = async () => {
    if (save.pending) return
    const found = validateOnboarding(form, toDateValue(new Date()))
    setErrors(found)
    save.reset()
    if (Object.keys(found).length > 0) return
    const result = await save.run(form)
    if (!result.ok) {
      // Consent was withdrawn meanwhile (say, on another phone): back to the notice.
      if (result.error?.detail.includes('privacy_notice_required')) onNeedsConsent?.()
      return
    }
    // Shown by the page the person lands on (我的), so it stays there to be read.
    toastOnNextPage('资料已保存')
    await onSaved(result.data)
  }

  return (
    <View className={[classPrefix, className ?? ''].filter(Boolean).join(' ')}>
      <Text className={`${classPrefix}__title`}>{title}</Text>
      <Text className={`${classPrefix}__lead`}>{lead}</Text>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>姓名</Text>
        <Input className={`${classPrefix}__input ${classPrefix}__name`} value={form.displayName} onChange={set('displayName')} placeholder='请填写真实姓名' />
        <FieldError message={errors.displayName} />
      </View>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>所属街道</Text>
        <Input className={`${classPrefix}__input ${classPrefix}__district`} value={form.district} onChange={set('district')} placeholder='如：四方区兴隆路街道' />
        <FieldError message={errors.district} />
      </View>

      <View className={`${classPrefix}__field`}>
        <Text className={`${classPrefix}__label`}>原单位（选填）</Text>
        <Input className={`${classPrefix}__input ${classPrefix}__employer`} value={form.formerEmployer} onChange={set('formerEmployer')} placeholder='如：青岛钢铁' />
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
          maxLength={-1}
        />
        <Text className={`${classPrefix}__count ${intentionLength > ONBOARDING_LIMITS.intentionMax ? `${classPrefix}__count--over` : ''}`}>
          {intentionLength}/{ONBOARDING_LIMITS.intentionMax}
        </Text>
        <FieldError message={errors.startupIntention} />
      </View>

      {save.error && (
        <View className={`${classPrefix}__error`} role='alert'>
          <Text>{save.error.message}</Text>
        </View>
      )}
      <Button className={`${classPrefix}__submit`} type='primary' size='large' block loading={save.pending} disabled={save.pending} onClick={() => void submit()}>
        保存
      </Button>
    </View>
  )
}

ProfileForm.displayName = 'ProfileForm'
