import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { PAGES } from '../../../../constants/routes'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useAskQuestionMutation } from '../../../../services/questions/question-mutations'
import { SUGGEST_MIN_LENGTH, useSuggestions, type Suggestion } from '../../../../services/questions/suggest-faq-query'
import { QUESTION_BODY_MAX, splitQuestion } from '../../../../services/questions/types'
import { redirectTo } from '../../../../utils/navigation'
import './index.scss'

const classPrefix = 'ask-question'

/** A suggested FAQ entry or answered question; tap to read the answer in place. */
function SuggestionItem({ item }: { item: Suggestion }) {
  const [open, setOpen] = useState(false)
  return (
    <View className={`faq-suggestion ${classPrefix}__suggestion`} onClick={() => setOpen((v) => !v)}>
      <View className={`${classPrefix}__suggestion-head`}>
        <Text className={`${classPrefix}__suggestion-kind`}>{item.kind === 'faq' ? '常见问题' : '已解答'}</Text>
        <Text className={`faq-suggestion-question ${classPrefix}__suggestion-question`}>{item.question}</Text>
      </View>
      {open ? (
        <Text className={`faq-suggestion-answer ${classPrefix}__suggestion-answer`}>{item.answer}</Text>
      ) : (
        <Text className={`${classPrefix}__suggestion-more`}>点击查看解答</Text>
      )}
    </View>
  )
}

/**
 * 提问: the person types the question; while typing, similar FAQ entries and answered questions of the
 * group appear (the answer may already be there), then 提交 puts the question to the butler on duty,
 * who has the group's response time to answer. The first line is the question, the rest the detail.
 */
export default function AskQuestionPage() {
  const router = useRouter()
  const groupId = router.params.group ?? null
  const user = useSessionUser()
  const [text, setText] = useState('')
  const suggestions = useSuggestions(user ? groupId : null, text)
  const ask = useAskQuestionMutation()

  if (!groupId || !user) {
    return (
      <AppPage className={classPrefix}>
        <PageState empty emptyTitle='请先进入创业群再提问' emptyDescription='在“创业群”页打开您所在的群，点“提问”' />
      </AppPage>
    )
  }

  const submit = async () => {
    const { title, body } = splitQuestion(text)
    if (!title) return
    const outcome = await ask.run({ groupId, title, body })
    if (outcome.ok && outcome.data) await redirectTo(`${PAGES.question}?id=${outcome.data.id}`)
  }

  const list = suggestions.data ?? []
  const typed = text.trim().length >= SUGGEST_MIN_LENGTH
  return (
    <AppPage className={classPrefix}>
      <View className={`${classPrefix}__card`}>
        <Text className={`${classPrefix}__label`}>您想问什么？</Text>
        <TextArea
          className={`question-input ${classPrefix}__input`}
          value={text}
          onChange={setText}
          placeholder='例如：一次性创业补贴需要什么材料？第一行写问题，下面可以补充情况'
          maxLength={QUESTION_BODY_MAX}
          rows={5}
          showCount
        />
        {ask.error && (
          <View className={`${classPrefix}__error`} role='alert'>
            <Text>{ask.error.message}</Text>
          </View>
        )}
        <Button className='submit-question' type='primary' size='large' block loading={ask.pending} disabled={ask.pending || !text.trim()} onClick={() => void submit()}>
          提交问题
        </Button>
        <Text className={`${classPrefix}__hint`}>提交后由值班的创业管家解答，解答后会在消息中心通知您。</Text>
      </View>

      {typed && (
        <View className={`faq-suggestions ${classPrefix}__card`}>
          <Text className={`${classPrefix}__label`}>类似的问题，也许已经有答案</Text>
          <PageState query={suggestions} skeletonCards={1} skeletonRows={2} empty={list.length === 0} emptyTitle='没有找到类似的问题' emptyDescription='可以直接提交，管家会尽快解答'>
            {list.map((item) => (
              <SuggestionItem key={`${item.kind}-${item.id}`} item={item} />
            ))}
          </PageState>
        </View>
      )}
    </AppPage>
  )
}
