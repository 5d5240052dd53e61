import { useState } from 'react'
import { Text } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { PRIVACY_NOTICE_TITLE } from '../../../../constants/privacy-notice'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useOwnProfile } from '../../../../services/profile/use-own-profile'
import { useWithdrawConsentMutation } from '../../../../services/profile/withdraw-consent'
import { redirectTo } from '../../../../utils/navigation'
import { BackToMe } from '../../components/back-to-me'
import { ConfirmAction } from '../../components/confirm-action'
import { Points } from '../../components/points'
import './index.scss'

const classPrefix = 'withdraw-consent'

const ERASED = [
  '您填写的资料：姓名、所属街道、原单位、分流日期、创业意向。',
  '您绑定的手机号。',
  '创业管家将看不到这些资料，需要个人信息的服务（如补贴申报）也无法继续办理。',
]

const KEPT = [
  '您的账号、收藏的资讯和消息中心的消息。',
  '您同意和撤回的记录（版本和时间），作为您撤回同意的凭证。',
  '下次使用时，会请您重新阅读并同意隐私保护指引。',
]

/**
 * 撤回同意 (PIPL art. 15), from 我的: what withdrawing erases and keeps, a two-tap confirmation, then the
 * withdraw_privacy_consent RPC; afterwards onboarding asks for consent again.
 */
export default function WithdrawConsentPage() {
  const user = useSessionUser()
  const profile = useOwnProfile(user?.id ?? null)
  const withdraw = useWithdrawConsentMutation()
  // Set once withdrawn: the emptied profile then in the cache must not turn this page into "nothing to withdraw".
  const [done, setDone] = useState(false)

  if (!user) {
    return <BackToMe className={classPrefix} title='请先登录' action='去登录' />
  }

  if (!profile.data) {
    return (
      <AppPage className={classPrefix}>
        <PageState query={profile} skeletonCards={1} skeletonRows={6} />
      </AppPage>
    )
  }

  if (!profile.data.privacy_version && !done) {
    return <BackToMe className={classPrefix} title='您目前没有同意隐私保护指引' description='无需撤回。使用需要个人信息的服务前，我们会再请您阅读并同意。' />
  }

  const confirm = async () => {
    const result = await withdraw.run()
    if (!result.ok) return
    setDone(true)
    await redirectTo(PAGES.onboarding)
  }

  return (
    <AppPage className={classPrefix}>
      <Text className={`${classPrefix}__lead`}>
        您可以随时撤回对《{PRIVACY_NOTICE_TITLE}》的同意。撤回后：
      </Text>
      <Points tone='erase' heading='会删除' points={ERASED} />
      <Points tone='keep' heading='会保留' points={KEPT} />
      <ConfirmAction
        actionText='撤回同意'
        question='撤回后，您填写的资料和手机号会被删除，确定撤回吗？'
        confirmText='确认撤回'
        pending={withdraw.pending}
        error={withdraw.error?.message}
        onConfirm={() => void confirm()}
      />
    </AppPage>
  )
}
