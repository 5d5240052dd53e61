import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useMyApplications } from '../../../../services/applications/application-query'
import { formatYuan } from '../../../../services/applications/labels'
import { useSessionUser } from '../../../../services/auth/use-session'
import { formatDateTime } from '../../../../utils/date'
import { navigateTo, switchTab } from '../../../../utils/navigation'
import { StatusTag } from '../../components/status-tag'
import './index.scss'

const classPrefix = 'my-applications'

/** 我的申报: my applications, latest change first, with their state; a draft continues in the wizard. */
export default function MyApplicationsPage() {
  const user = useSessionUser()
  const applications = useMyApplications(user?.id ?? null)

  usePullDownRefresh(() => {
    void applications.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const list = applications.data ?? []
  return (
    <AppPage className={classPrefix}>
      <PageState
        query={user ? applications : undefined}
        empty={!user || list.length === 0}
        emptyTitle={user ? '您还没有申报过补贴' : '登录后查看您的申报'}
        emptyDescription='先做一下政策自测，看看能申报哪些补贴'
        emptyAction={
          user ? (
            <Button type='primary' size='large' onClick={() => void navigateTo(PAGES.applySelfcheck)}>
              政策自测
            </Button>
          ) : (
            <Button type='primary' size='large' onClick={() => void switchTab('me')}>
              去登录
            </Button>
          )
        }
      >
        {list.map((application) => (
          <View
            key={application.id}
            className={`my-application ${classPrefix}__item`}
            hoverClass={`${classPrefix}__item--pressed`}
            onClick={() =>
              void (application.status === 'draft'
                ? navigateTo(PAGES.applyWizard, { programme: application.programme_id, id: application.id })
                : navigateTo(PAGES.applicationDetail, { id: application.id }))
            }
          >
            <View className={`${classPrefix}__head`}>
              <Text className={`${classPrefix}__title`}>{application.programme.name}</Text>
              <StatusTag status={application.status} />
            </View>
            <Text className={`${classPrefix}__meta`}>
              {application.status === 'draft' ? `草稿，${formatDateTime(application.updated_at)}保存，点击继续填写` : `提交于 ${formatDateTime(application.submitted_at ?? application.updated_at)}`}
            </Text>
            {application.approved_amount !== null && <Text className={`${classPrefix}__meta`}>核定金额 {formatYuan(application.approved_amount)}</Text>}
          </View>
        ))}
      </PageState>
    </AppPage>
  )
}
