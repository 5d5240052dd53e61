import { Text } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useDeleteAccountMutation } from '../../../../services/profile/delete-account'
import { toastOnNextPage } from '../../../../utils/next-page-toast'
import { switchTab } from '../../../../utils/navigation'
import { BackToMe } from '../../components/back-to-me'
import { ConfirmAction } from '../../components/confirm-action'
import { Points } from '../../components/points'
import './index.scss'

const classPrefix = 'delete-account'

/** What public.delete_my_account erases (supabase/migrations/20261201110000_account_self_service.sql). */
const ERASED = [
  '您填写的资料：姓名、所属街道、原单位、分流日期、创业意向。',
  '您绑定的手机号。',
  '您收藏的资讯、消息中心的消息和订阅消息设置。',
  '账号与您微信的关联：以后再用微信登录，会是一个全新的空账号，原来的资料无法找回。',
]

/** What it keeps, and why. */
const KEPT = [
  '您同意和撤回隐私保护指引的记录（版本和时间）：这是您当时同意了什么的凭证，依法需要保存。',
  '管理员调整角色的记录：用于核查谁在什么时候办理了什么。',
  '注销的时间：证明您的注销申请已经办理。',
  '以上记录只保留一个账号编号，不含姓名、手机号等能认出您的信息。',
]

/**
 * 注销账号 (PIPL art. 47; WeChat requires it of mini-programs), from 我的: what is erased and what is
 * kept and why, a two-tap confirmation, then the delete_my_account RPC, and the session on this phone is
 * forgotten. Refusals (the last admin, staff accounts) come from the database in Chinese.
 */
export default function DeleteAccountPage() {
  const user = useSessionUser()
  const remove = useDeleteAccountMutation()

  if (!user) {
    return <BackToMe className={classPrefix} title='您已退出登录' description='如需注销账号，请先登录' />
  }

  const confirm = async () => {
    if (!(await remove.run()).ok) return
    // The mutation signed out: this page now shows 您已退出登录 until 我的 opens.
    toastOnNextPage('账号已注销')
    await switchTab('me')
  }

  return (
    <AppPage className={classPrefix}>
      <Text className={`${classPrefix}__lead`}>注销后，账号不能恢复。请先了解会删除和会保留的内容：</Text>
      <Points tone='erase' heading='会删除' points={ERASED} />
      <Points tone='keep' heading='会保留，以及原因' points={KEPT} />
      <Text className={`${classPrefix}__note`}>创业管家和管理员的账号是工作账号，需要先请管理员把角色改为职工，才能注销。</Text>
      <ConfirmAction
        actionText='注销账号'
        question='注销后无法恢复，确定注销账号吗？'
        confirmText='确认注销'
        pending={remove.pending}
        error={remove.error?.message}
        onConfirm={() => void confirm()}
      />
    </AppPage>
  )
}
