import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../components/app-page'
import { Button } from '../../components/nutui'
import { PageState } from '../../components/page-state'
import { PAGES } from '../../constants/routes'
import { useSessionUser } from '../../services/auth/use-session'
import { formatYuan } from '../../services/applications/labels'
import { useProgrammes } from '../../services/applications/programmes-query'
import { navigateTo, switchTab } from '../../utils/navigation'
import './index.scss'

const classPrefix = 'apply-page'

/**
 * The apply tab (补贴申报): the programmes on offer, 政策自测 and 我的申报. Everyone sees the catalogue;
 * applying needs a signed-in person, so a guest is asked to sign in first. Everything else (the
 * programme's rules, the wizard, the timeline) opens in the apply subpackage.
 */
export default function ApplyPage() {
  const user = useSessionUser()
  const programmes = useProgrammes()

  usePullDownRefresh(() => {
    void programmes.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const list = programmes.data ?? []
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__entries`}>
        <Button className='open-selfcheck' type='primary' size='large' onClick={() => void navigateTo(PAGES.applySelfcheck)}>
          政策自测
        </Button>
        <Button className='open-mine' type='primary' fill='outline' size='large' onClick={() => void (user ? navigateTo(PAGES.myApplications) : switchTab('me'))}>
          我的申报
        </Button>
      </View>
      {!user && (
        <View className={`${classPrefix}__guest`}>
          <Text className={`${classPrefix}__guest-text`}>登录后可以在线申报补贴、上传材料、随时查看审核进度</Text>
          <Button className='apply-sign-in' type='primary' size='normal' onClick={() => void switchTab('me')}>
            去登录
          </Button>
        </View>
      )}
      <Text className={`${classPrefix}__heading`}>可申报的补贴项目</Text>
      <PageState query={programmes} empty={list.length === 0} emptyTitle='暂时没有可申报的补贴项目' emptyDescription='新的补贴项目开放后会在这里显示'>
        {list.map((programme) => (
          <View
            key={programme.id}
            className={`programme-item ${classPrefix}__item`}
            hoverClass={`${classPrefix}__item--pressed`}
            onClick={() => void navigateTo(PAGES.applyProgramme, { id: programme.id })}
          >
            <View className={`${classPrefix}__item-head`}>
              <Text className={`programme-name ${classPrefix}__name`}>{programme.name}</Text>
              {programme.default_amount !== null && <Text className={`${classPrefix}__amount`}>{formatYuan(programme.default_amount)}</Text>}
            </View>
            {programme.summary && <Text className={`${classPrefix}__summary`}>{programme.summary}</Text>}
            <Text className={`${classPrefix}__more`}>查看条件和材料 ›</Text>
          </View>
        ))}
      </PageState>
      <View className={`${classPrefix}__footer`}>
        <Button className='open-publicity' fill='none' size='large' onClick={() => void navigateTo(PAGES.publicity)}>
          补贴公示
        </Button>
      </View>
    </AppPage>
  )
}
