import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { Button } from '../../../../components/nutui'
import { Checkbox } from '../../../../components/nutui-form'
import { PRIVACY_NOTICE_SECTIONS, PRIVACY_NOTICE_TITLE, PRIVACY_NOTICE_VERSION } from '../../../../constants/privacy-notice'
import { useSessionUser } from '../../../../services/auth/use-session'
import { agreePrivacyAuthorization } from '../../../../services/privacy/privacy-authorization'
import { useAcceptPrivacyNoticeMutation } from '../../../../services/profile/accept-privacy-notice'
import { useOwnProfile } from '../../../../services/profile/use-own-profile'
import { switchTab } from '../../../../utils/navigation'
import { EMPTY_PROFILE_FORM, ProfileForm } from '../../components/profile-form'
import './index.scss'

const classPrefix = 'onboarding'

/**
 * On WeChat the same tap on 同意并继续 also tells WeChat that the person agreed to the mini-program's
 * 用户隐私保护指引 (open-type="agreePrivacyAuthorization"), so the privacy APIs (phone number, photos, …)
 * work without a second prompt. H5 has no such thing.
 */
const IS_WEAPP = process.env.TARO_ENV === 'weapp'
const AGREE_BUTTON_ID = 'onboarding-privacy-agree'

/** The name every new WeChat account starts with (public.sign_in_wechat); not worth pre-filling. */
const PLACEHOLDER_NAME = '微信用户'

/** Step 1: the privacy notice and an explicit, unticked consent box. */
function PrivacyStep({ onAccepted }: { onAccepted: () => void }) {
  const [agreed, setAgreed] = useState(false)
  const save = useAcceptPrivacyNoticeMutation()

  const accept = async () => {
    if (!agreed) return
    if ((await save.run(PRIVACY_NOTICE_VERSION)).ok) onAccepted()
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
      {save.error && <Text className={`${classPrefix}__error`}>{save.error.message}</Text>}
      <Button
        id={AGREE_BUTTON_ID}
        type='primary'
        size='large'
        block
        disabled={!agreed || save.pending}
        loading={save.pending}
        openType={IS_WEAPP ? 'agreePrivacyAuthorization' : undefined}
        onAgreePrivacyAuthorization={() => agreePrivacyAuthorization(AGREE_BUTTON_ID)}
        onClick={() => void accept()}
      >
        同意并继续
      </Button>
      <Button className={`${classPrefix}__decline`} size='large' block fill='none' onClick={() => void switchTab('me')}>
        暂不同意
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
        <PageState
          empty
          emptyTitle='请先登录'
          emptyDescription='登录后再完善个人资料'
          emptyAction={
            <Button type='primary' size='large' onClick={() => void switchTab('me')}>
              去登录
            </Button>
          }
        />
      </AppPage>
    )
  }

  if (step === null || !profile.data) {
    return (
      <AppPage className={classPrefix}>
        <PageState query={profile} skeletonCards={1} skeletonRows={6} />
      </AppPage>
    )
  }

  const name = profile.data.display_name === PLACEHOLDER_NAME ? '' : profile.data.display_name
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__steps`}>
        {/* The current step is told by more than its colour: bold, underlined, and aria-current. */}
        <Text className={step === 'privacy' ? `${classPrefix}__step-label--active` : ''} aria-current={step === 'privacy' ? 'step' : undefined}>
          1 阅读隐私保护指引
        </Text>
        <Text className={`${classPrefix}__step-arrow`} aria-hidden='true'>
          ›
        </Text>
        <Text className={step === 'profile' ? `${classPrefix}__step-label--active` : ''} aria-current={step === 'profile' ? 'step' : undefined}>
          2 完善资料
        </Text>
      </View>
      {step === 'privacy' ? (
        <PrivacyStep onAccepted={() => setStep('profile')} />
      ) : (
        <ProfileForm
          className={`${classPrefix}__step ${classPrefix}__form`}
          initial={{ ...EMPTY_PROFILE_FORM, displayName: name }}
          title='完善个人资料'
          lead='这些信息只给为您服务的创业管家看，方便他们了解情况、及时联系您。'
          onSaved={() => switchTab('me')}
          onNeedsConsent={() => setStep('privacy')}
        />
      )}
    </AppPage>
  )
}
