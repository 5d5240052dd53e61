import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { timeLabel } from '../../../../services/groups/timeline'
import { useMyQuestions } from '../../../../services/questions/my-questions-query'
import { QUESTION_STATUS_LABELS } from '../../../../services/questions/types'
import { navigateTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'my-questions'

/** 我的提问: every question I asked, newest first, with its state; tap for the answer (采纳 or 继续追问 there). */
export default function MyQuestionsPage() {
  const user = useSessionUser()
  const questions = useMyQuestions(user?.id ?? null)

  usePullDownRefresh(() => {
    void questions.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const list = questions.data ?? []
  return (
    <AppPage className={classPrefix}>
      <PageState
        query={user ? questions : undefined}
        empty={!user || list.length === 0}
        emptyTitle={user ? '您还没有提过问题' : '登录后查看您的提问'}
        emptyDescription='在创业群里点“提问”，值班的创业管家会尽快解答'
      >
        {list.map((question) => (
          <View
            key={question.id}
            className={`my-question ${classPrefix}__item status-${question.status}`}
            hoverClass={`${classPrefix}__item--pressed`}
            onClick={() => void navigateTo(PAGES.question, { id: question.id })}
          >
            <View className={`${classPrefix}__head`}>
              <Text className={`my-question-title ${classPrefix}__title`}>{question.title}</Text>
              <Text className={`my-question-status ${classPrefix}__status ${classPrefix}__status--${question.status}`}>{QUESTION_STATUS_LABELS[question.status]}</Text>
            </View>
            <Text className={`${classPrefix}__meta`}>
              {question.group.name} · {timeLabel(question.created_at)}
            </Text>
            {question.check_status !== 'published' && (
              <Text className={`my-question-check ${classPrefix}__meta`}>
                {question.check_status === 'pending' ? '审核中：通过内容审核后群成员才能看到，管家已经可以看到' : '未通过内容审核：只有您和本群管家能看到'}
              </Text>
            )}
          </View>
        ))}
      </PageState>
    </AppPage>
  )
}
