import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useLiveApplicationFor } from '../../../../services/applications/application-query'
import { APPLICATION_STATUS_LABELS, formatYuan, MATERIAL_KIND_LABELS, programmeMaterials, programmeRules, ruleText } from '../../../../services/applications/labels'
import { programmeOpen, useProgramme } from '../../../../services/applications/programmes-query'
import { useSessionUser } from '../../../../services/auth/use-session'
import { formatDate, toDateValue } from '../../../../utils/date'
import { navigateTo, switchTab } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'programme-page'

/** Only pictures the app ships or serves over https are shown (an example path from the catalogue). */
function exampleSrc(example: string): string | null {
  return /^(https:\/\/|\/)/.test(example) ? example : null
}

/**
 * A subsidy programme: what it pays and how the amount is worked out, who can apply, when, and each
 * material to prepare (with an example picture where there is one); 开始申报, or 继续 / 查看 my live
 * application for it. A guest is asked to sign in first.
 */
export default function ProgrammePage() {
  const router = useRouter()
  const id = router.params.id || null
  const user = useSessionUser()
  const programme = useProgramme(id)
  const live = useLiveApplicationFor(user?.id ?? null, id)

  usePullDownRefresh(() => {
    void Promise.all([programme.refetch(), live.refetch()]).finally(() => Taro.stopPullDownRefresh())
  })

  const p = programme.data
  const open = p ? programmeOpen(p, toDateValue(new Date())) : false
  const mine = live.data ?? null

  const action = () => {
    if (!p) return null
    if (!user) {
      return (
        <Button className='programme-sign-in' type='primary' size='large' block onClick={() => void switchTab('me')}>
          登录后申报
        </Button>
      )
    }
    if (mine) {
      return mine.status === 'draft' ? (
        <Button className='programme-apply' type='primary' size='large' block onClick={() => void navigateTo(PAGES.applyWizard, { programme: p.id, id: mine.id })}>
          继续填写
        </Button>
      ) : (
        <Button className='programme-view' type='primary' fill='outline' size='large' block onClick={() => void navigateTo(PAGES.applicationDetail, { id: mine.id })}>
          查看我的申报（{APPLICATION_STATUS_LABELS[mine.status]}）
        </Button>
      )
    }
    if (!open) return <Text className={`${classPrefix}__closed`}>目前不在申报期</Text>
    return (
      <Button className='programme-apply' type='primary' size='large' block loading={live.status === 'loading'} onClick={() => void navigateTo(PAGES.applyWizard, { programme: p.id })}>
        开始申报
      </Button>
    )
  }

  return (
    <AppPage className={classPrefix}>
      <PageState query={id ? programme : undefined} empty={!id} emptyTitle='没有找到这个补贴项目'>
        {p && (
          <>
            <View className={`${classPrefix}__card`}>
              <Text className={`programme-title ${classPrefix}__name`}>{p.name}</Text>
              {p.summary && <Text className={`${classPrefix}__text`}>{p.summary}</Text>}
              <Text className={`${classPrefix}__amount`}>{p.default_amount !== null ? formatYuan(p.default_amount) : ''}</Text>
              {p.amount_rule && <Text className={`${classPrefix}__text`}>补贴标准：{p.amount_rule}</Text>}
              <Text className={`${classPrefix}__text`}>
                申报时间：{p.opens_on ? `${formatDate(p.opens_on)}起` : '长期'}
                {p.closes_on ? `，至${formatDate(p.closes_on)}止` : ''}
              </Text>
            </View>
            {p.description && (
              <View className={`${classPrefix}__card`}>
                <Text className={`${classPrefix}__title`}>政策说明</Text>
                <Text className={`${classPrefix}__text`}>{p.description}</Text>
              </View>
            )}
            <View className={`${classPrefix}__card`}>
              <Text className={`${classPrefix}__title`}>申报条件</Text>
              {programmeRules(p.eligibility).map((rule) => (
                <Text key={`${rule.rule}-${rule.value ?? ''}`} className={`${classPrefix}__text`}>
                  · {ruleText(rule)}
                </Text>
              ))}
            </View>
            <View className={`${classPrefix}__card`}>
              <Text className={`${classPrefix}__title`}>需要准备的材料</Text>
              {programmeMaterials(p.materials).map((material) => {
                const src = exampleSrc(material.example)
                return (
                  <View key={material.key} className={`${classPrefix}__material`}>
                    <Text className={`${classPrefix}__material-name`}>
                      {material.name}
                      {material.required ? '' : '（选传）'}
                    </Text>
                    <Text className={`${classPrefix}__hint`}>
                      {MATERIAL_KIND_LABELS[material.kind]}
                      {material.hint ? `：${material.hint}` : ''}
                    </Text>
                    {src && <Image className={`${classPrefix}__example`} src={src} mode='aspectFit' aria-label={`${material.name}示例`} />}
                  </View>
                )
              })}
            </View>
            <View className={`${classPrefix}__actions`}>{action()}</View>
          </>
        )}
      </PageState>
    </AppPage>
  )
}
