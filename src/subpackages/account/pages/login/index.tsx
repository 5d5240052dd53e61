import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { Button, Cell, Tag } from '../../../../components/nutui'
import { DEMO_ACCOUNTS, type DemoAccount } from '../../../../constants/demo-accounts'
import { ROLE_LABELS } from '../../../../constants/roles'
import { DEMO_LOGIN, PAGES } from '../../../../constants/routes'
import { getSession } from '../../../../services/auth/session'
import { toAppError } from '../../../../services/errors'
import { redirectTo, switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'demo-login'

/**
 * Demo sign-in (builds with TARO_APP_DEMO_LOGIN=true, e.g. H5, which has no Taro.login): the seeded people
 * of the local backend, one tap each. Signing in replaces whoever was signed in; someone who has not
 * finished onboarding goes there next, everyone else to 我的.
 */
export default function DemoLoginPage() {
  const [pending, setPending] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  if (!DEMO_LOGIN) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='演示账号登录未开放' emptyDescription='请在微信中打开小程序登录' />
      </AppPage>
    )
  }

  const pick = async (account: DemoAccount) => {
    if (pending) return
    setPending(account.handle)
    setError(null)
    try {
      const user = await getSession().signInWithDemo(account.handle)
      if (user.onboarded) await switchTab('me')
      else await redirectTo(PAGES.onboarding)
    } catch (caught) {
      setError(toAppError(caught).message)
    } finally {
      setPending(null)
    }
  }

  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__intro`}>
        <Text>这是演示环境，下面是示例人员。选择一位即可登录，不需要微信。</Text>
      </View>
      {error && (
        <View className={`${classPrefix}__error`} role='alert'>
          <Text>{error}</Text>
        </View>
      )}
      <Cell.Group className={`${classPrefix}__accounts`}>
        {DEMO_ACCOUNTS.map((account) => (
          <Cell
            key={account.handle}
            className={`${classPrefix}__account`}
            clickable
            onClick={() => void pick(account)}
            title={
              <View className={`${classPrefix}__who`}>
                <Text className={`${classPrefix}__name`}>{account.name}</Text>
                <Tag type={account.role === 'worker' ? 'default' : 'danger'} plain>
                  {ROLE_LABELS[account.role]}
                </Tag>
              </View>
            }
            description={account.note}
            extra={
              <Button size='small' type='primary' loading={pending === account.handle} disabled={pending !== null}>
                登录
              </Button>
            }
          />
        ))}
      </Cell.Group>
    </AppPage>
  )
}
