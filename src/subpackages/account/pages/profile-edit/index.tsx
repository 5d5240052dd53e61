import Taro from '@tarojs/taro'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { Button } from '../../../../components/nutui'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import type { OwnProfile } from '../../../../services/profile/own-profile-query'
import { useOwnProfile } from '../../../../services/profile/use-own-profile'
import { redirectTo } from '../../../../utils/navigation'
import { ProfileForm } from '../../components/profile-form'
import { BackToMe } from '../../components/back-to-me'
import './index.scss'

const classPrefix = 'profile-edit'

function formOf(profile: NonNullable<OwnProfile>) {
  return {
    displayName: profile.display_name,
    district: profile.district ?? '',
    formerEmployer: profile.former_employer ?? '',
    displacedOn: profile.displaced_on ?? '',
    startupIntention: profile.startup_intention ?? '',
  }
}

/**
 * 编辑资料, from 我的: the onboarding form, filled with the saved profile. Someone who has not accepted
 * the privacy notice (or withdrew it) is sent to onboarding instead; afterwards, back to 我的.
 */
export default function ProfileEditPage() {
  const user = useSessionUser()
  const profile = useOwnProfile(user?.id ?? null)

  if (!user) {
    return <BackToMe className={classPrefix} title='请先登录' description='登录后再编辑个人资料' action='去登录' />
  }

  if (!profile.data) {
    return (
      <AppPage className={classPrefix}>
        <PageState query={profile} skeletonCards={1} skeletonRows={6} />
      </AppPage>
    )
  }

  if (!profile.data.privacy_version) {
    return (
      <AppPage className={classPrefix}>
        <PageState
          empty
          emptyTitle='请先阅读隐私保护指引'
          emptyDescription='同意隐私保护指引后，才能填写和修改个人资料'
          emptyAction={
            <Button type='primary' size='large' onClick={() => void redirectTo(PAGES.onboarding)}>
              去阅读
            </Button>
          }
        />
      </AppPage>
    )
  }

  return (
    <AppPage className={classPrefix}>
      <ProfileForm
        className={`${classPrefix}__form`}
        initial={formOf(profile.data)}
        title='编辑资料'
        lead='修改后，为您服务的创业管家看到的资料也会一起更新。'
        onSaved={() => Taro.navigateBack()}
        onNeedsConsent={() => void redirectTo(PAGES.onboarding)}
      />
    </AppPage>
  )
}
