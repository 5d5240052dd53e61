import { useState } from 'react'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../components/app-page'
import { AvatarPicker } from '../../components/avatar-picker'
import { Button, Cell, Switch, Tag } from '../../components/nutui'
import { PageState } from '../../components/page-state'
import { ROLE_LABELS } from '../../constants/roles'
import { DEMO_LOGIN, PAGES } from '../../constants/routes'
import { getSession } from '../../services/auth/session'
import { useSession } from '../../services/auth/use-session'
import { refreshUnreadBadge } from '../../services/notifications/badge'
import { useUnreadCount } from '../../services/notifications/use-notifications'
import { setLargeText } from '../../services/preferences/large-text'
import { useLargeText, useLargeTextSource } from '../../services/preferences/use-large-text'
import { useBindPhoneMutation } from '../../services/profile/bind-phone'
import { useOwnPhone } from '../../services/profile/use-own-phone'
import { useOwnProfile } from '../../services/profile/use-own-profile'
import { formatDate } from '../../utils/date'
import { navigateTo } from '../../utils/navigation'
import { maskPhone } from '../../utils/phone'
import './index.scss'

const classPrefix = 'me-page'
const IS_WEAPP = process.env.TARO_ENV === 'weapp'
/** Binding needs WeChat's phone-number sheet, which exists only in the mini-program. */
const H5_PHONE_HINT = '请在微信中打开“创业管家”小程序，在“我的”页点“绑定手机号”'

/** The getPhoneNumber button's event detail (WeChat's new-style code, or an errMsg when refused). */
interface PhoneNumberDetail {
  code?: string
  errMsg?: string
}

/** Shown when nobody is signed in: how to sign in on this build. */
function SignedOut() {
  const [signingIn, setSigningIn] = useState(false)
  const signIn = async () => {
    setSigningIn(true)
    try {
      await getSession().signIn()
    } catch {
      // The session is in its error state now and the page shows why.
    } finally {
      setSigningIn(false)
    }
  }
  return (
    <PageState
      empty
      emptyTitle='您还没有登录'
      emptyDescription='登录后可以查看个人资料、申报进度和消息通知'
      emptyAction={
        DEMO_LOGIN ? (
          <Button type='primary' size='large' block onClick={() => void navigateTo(PAGES.demoLogin)}>
            选择演示账号登录
          </Button>
        ) : IS_WEAPP ? (
          <Button type='primary' size='large' block loading={signingIn} disabled={signingIn} onClick={() => void signIn()}>
            微信登录
          </Button>
        ) : (
          <Text className={`${classPrefix}__hint`}>请在微信中打开“创业管家”小程序登录</Text>
        )
      }
    />
  )
}

/**
 * The me tab: who is signed in, their profile (编辑资料) and phone, large-text mode, role management for
 * admins, and the person's privacy rights: 撤回同意 and 注销账号.
 */
export default function MePage() {
  const session = useSession()
  const user = session.status === 'signed-in' ? session.user : null
  const profile = useOwnProfile(user?.id ?? null)
  const phone = useOwnPhone(user?.id ?? null)
  const unread = useUnreadCount(user?.id ?? null)
  const largeText = useLargeText()
  const largeTextSource = useLargeTextSource()
  const bind = useBindPhoneMutation()

  usePullDownRefresh(() => {
    void Promise.all([profile.refetch(), phone.refetch(), refreshUnreadBadge()]).finally(() => Taro.stopPullDownRefresh())
  })

  if (session.status === 'starting' || session.status === 'signing-in') {
    return (
      <AppPage className={classPrefix}>
        <PageState loading skeletonCards={1} />
        <Text className={`${classPrefix}__hint`}>正在登录…</Text>
      </AppPage>
    )
  }

  if (session.status === 'error') {
    return (
      <AppPage className={classPrefix}>
        <PageState error={session.error} onRetry={() => void getSession().retry()} />
      </AppPage>
    )
  }

  if (!user) {
    return (
      <AppPage className={classPrefix}>
        <SignedOut />
      </AppPage>
    )
  }

  const details = profile.data
  const role = details?.role ?? user.role
  const name = details?.display_name ?? user.display_name
  const notFilled = <Text className={`${classPrefix}__empty-value`}>未填写</Text>

  const onGetPhoneNumber = async (detail: PhoneNumberDetail) => {
    if (!detail.code) {
      // The person declined in WeChat's sheet: nothing to say, nothing changed.
      return
    }
    await bind.run(detail.code)
  }

  const signOut = async () => {
    const { confirm } = await Taro.showModal({
      title: '退出登录',
      content: '退出后需要重新登录才能查看个人资料和申报进度。',
      confirmText: '退出',
      cancelText: '取消',
    })
    if (confirm) getSession().signOut()
  }

  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__card ${classPrefix}__header`}>
        <AvatarPicker userId={user.id} name={name} path={details?.avatar_path} />
        <Text className={`${classPrefix}__name`}>{name}</Text>
        <Tag type={role === 'worker' ? 'default' : 'danger'} plain className={`${classPrefix}__role`}>
          {ROLE_LABELS[role]}
        </Tag>
      </View>

      {!user.onboarded && (
        <View className={`${classPrefix}__notice`}>
          <Text>请先阅读隐私保护指引并完善个人资料，方便创业管家为您服务。</Text>
          <Button type='primary' size='normal' onClick={() => void navigateTo(PAGES.onboarding)}>
            完善资料
          </Button>
        </View>
      )}

      <Cell.Group className={`${classPrefix}__section`}>
        <Cell
          className={`${classPrefix}__messages messages-entry`}
          title='消息中心'
          description='审核结果、问答回复和账号变动'
          extra={
            <View className={`${classPrefix}__messages-extra`}>
              {(unread.data ?? 0) > 0 && (
                <Text className={`${classPrefix}__unread messages-unread`}>{(unread.data ?? 0) > 99 ? '99+' : unread.data}</Text>
              )}
              <Text>›</Text>
            </View>
          }
          clickable
          onClick={() => void navigateTo(PAGES.messages)}
        />
      </Cell.Group>

      <Cell.Group className={`${classPrefix}__section ${classPrefix}__posts`}>
        <Cell className='bookmarks-entry' title='我的收藏' extra='›' clickable onClick={() => void navigateTo(PAGES.bookmarks)} />
        {role !== 'worker' && (
          <Cell className='editor-entry' title='文章管理' description='写文章、定时发布、我的线索' extra='›' clickable onClick={() => void navigateTo(PAGES.editorPosts)} />
        )}
      </Cell.Group>

      <Cell.Group title='个人资料' className={`${classPrefix}__section ${classPrefix}__profile`}>
        <PageState query={profile} skeletonCards={1}>
            <Cell title='所属街道' extra={details?.district ?? notFilled} />
            <Cell title='原单位' extra={details?.former_employer ?? notFilled} />
            <Cell title='分流日期' extra={details?.displaced_on ? formatDate(details.displaced_on) : notFilled} />
            <Cell title='创业意向' description={details?.startup_intention ?? '未填写'} />
            {user.onboarded && (
              <Cell className={`${classPrefix}__edit`} title='编辑资料' extra='›' clickable onClick={() => void navigateTo(PAGES.profileEdit)} />
            )}
        </PageState>
      </Cell.Group>

      <Cell.Group title='账号与设置' className={`${classPrefix}__section`}>
        <Cell
          className={`${classPrefix}__phone`}
          title='手机号'
          description={bind.error?.message ?? (!IS_WEAPP && phone.status === 'success' && !phone.data ? H5_PHONE_HINT : undefined)}
          extra={
            <View className={`${classPrefix}__phone-extra`}>
              <Text className={`${classPrefix}__phone-number`}>
                {phone.status === 'loading' ? '…' : phone.data ? maskPhone(phone.data.phone) : '未绑定'}
              </Text>
              {IS_WEAPP && (
                <Button
                  size='small'
                  type='primary'
                  fill='outline'
                  openType='getPhoneNumber'
                  loading={bind.pending}
                  disabled={bind.pending}
                  onGetPhoneNumber={(event) => void onGetPhoneNumber(event.detail as PhoneNumberDetail)}
                >
                  {phone.data ? '更换' : '绑定手机号'}
                </Button>
              )}
            </View>
          }
        />
        <Cell
          className={`${classPrefix}__large-text`}
          title='大字模式'
          description={largeTextSource === 'wechat' ? '微信字体已调大，这里也跟着放大了；不需要可以关闭' : '放大全部文字，看得更清楚'}
          extra={<Switch checked={largeText} onChange={(value) => setLargeText(value)} aria-label='大字模式' />}
        />
        {role !== 'worker' && (
          <Cell className={`${classPrefix}__desk butler-desk-entry`} title='管家工作台' description='待解答的问题、值班表和群管理' extra='›' clickable onClick={() => void navigateTo(PAGES.butlerDesk)} />
        )}
        {role !== 'worker' && (
          <Cell className={`${classPrefix}__review review-entry`} title='申报审核' description='审核队列、集中申报和走访记录' extra='›' clickable onClick={() => void navigateTo(PAGES.reviewQueue)} />
        )}
        {role === 'admin' && (
          <Cell className={`${classPrefix}__programmes programmes-entry`} title='补贴项目管理' description='项目、金额、条件和所需材料' extra='›' clickable onClick={() => void navigateTo(PAGES.programmes)} />
        )}
        {role === 'admin' && (
          <Cell className={`${classPrefix}__roles`} title='角色管理' description='设置职工、创业管家和管理员' extra='›' clickable onClick={() => void navigateTo(PAGES.roles)} />
        )}
      </Cell.Group>

      <Cell.Group title='隐私与账号' className={`${classPrefix}__section`}>
        {details?.privacy_version && (
          <Cell
            className={`${classPrefix}__withdraw`}
            title='撤回同意'
            description='撤回对隐私保护指引的同意，删除您填写的资料'
            extra='›'
            clickable
            onClick={() => void navigateTo(PAGES.withdrawConsent)}
          />
        )}
        <Cell
          className={`${classPrefix}__delete`}
          title='注销账号'
          description='删除账号和您的个人信息，不能恢复'
          extra='›'
          clickable
          onClick={() => void navigateTo(PAGES.deleteAccount)}
        />
      </Cell.Group>

      <View className={`${classPrefix}__actions`}>
        <Button size='large' block fill='outline' type='default' onClick={() => void signOut()}>
          退出登录
        </Button>
      </View>
    </AppPage>
  )
}
