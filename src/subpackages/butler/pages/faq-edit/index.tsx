import { useEffect, useState } from 'react'
import Taro, { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { SearchBar, TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { SEARCH_MAX_LENGTH } from '../../../../services/posts/search-query'
import {
  FAQ_ANSWER_MAX,
  FAQ_QUESTION_MAX,
  useGroupFaqs,
  usePolicySearch,
  useUpdateFaqMutation,
} from '../../../../services/questions/faq'
import { formatPostDate } from '../../../../utils/date'
import './index.scss'

const classPrefix = 'faq-edit'

interface LinkedPolicy {
  id: string
  title: string
}

/** 关联政策: the one linked now (不关联 to drop it), and a search among published policies to choose another. */
function PolicyPicker({ value, onChange }: { value: LinkedPolicy | null; onChange: (policy: LinkedPolicy | null) => void }) {
  const [input, setInput] = useState('')
  const [query, setQuery] = useState('')
  const results = usePolicySearch(query)
  const hits = results.data ?? []

  return (
    <View className={`${classPrefix}__card`}>
      <Text className={`${classPrefix}__label`}>关联政策</Text>
      <View className={`${classPrefix}__linked`}>
        <Text className={`faq-edit-policy ${classPrefix}__linked-title`}>{value ? value.title : '未关联政策'}</Text>
        {value && (
          <Button className='faq-unlink' size='small' type='default' onClick={() => onChange(null)}>
            不关联
          </Button>
        )}
      </View>
      <SearchBar
        className='faq-policy-search'
        shape='round'
        value={input}
        placeholder='搜索已发布的政策，如“补贴”'
        maxLength={SEARCH_MAX_LENGTH}
        onChange={setInput}
        onSearch={(value) => setQuery(value.trim())}
        right={
          <Button className='faq-policy-search-submit' size='small' type='primary' onClick={() => setQuery(input.trim())}>
            搜索
          </Button>
        }
      />
      {query !== '' && (
        <PageState query={results} skeletonCards={1} empty={hits.length === 0} emptyTitle='没有找到相关政策' emptyDescription='换个词试试，只能关联已发布的政策'>
          {hits.map((hit) => (
            <View key={hit.id} className={`faq-policy-choice ${classPrefix}__choice`}>
              <View className={`${classPrefix}__choice-text`}>
                <Text className={`${classPrefix}__choice-title`}>{hit.title}</Text>
                <Text className={`${classPrefix}__meta`}>
                  发布于 {formatPostDate(hit.published_at)}
                  {hit.revised_at ? ` · 更新于 ${formatPostDate(hit.revised_at)}` : ''}
                </Text>
              </View>
              <Button
                className='faq-policy-pick'
                size='small'
                type='primary'
                fill={value?.id === hit.id ? 'solid' : 'outline'}
                onClick={() => onChange({ id: hit.id, title: hit.title })}
              >
                {value?.id === hit.id ? '已选' : '选择'}
              </Button>
            </View>
          ))}
        </PageState>
      )}
    </View>
  )
}

/**
 * 编辑常见问题 for the group's butlers (and admins): the question members' suggestions match, the answer,
 * and the policy it relies on (chosen among published policies by search, or none). Saving a changed
 * answer also clears 需复核. `?id=<faq id>&group=<group id>`.
 */
export default function FaqEditPage() {
  const router = useRouter()
  const faqId = router.params.id ?? null
  const groupId = router.params.group ?? null
  const faqs = useGroupFaqs(groupId)
  const faq = (faqs.data ?? []).find((f) => f.id === faqId)
  const save = useUpdateFaqMutation(groupId ?? '')
  const [question, setQuestion] = useState('')
  const [answer, setAnswer] = useState('')
  const [policy, setPolicy] = useState<LinkedPolicy | null>(null)
  const [loadedId, setLoadedId] = useState<string | null>(null)

  // The form starts from the entry once it has loaded (and not again: a refetch must not undo typing).
  useEffect(() => {
    if (faq && loadedId !== faq.id) {
      setQuestion(faq.question)
      setAnswer(faq.answer)
      setPolicy(faq.policy ? { id: faq.policy.id, title: faq.policy.title } : null)
      setLoadedId(faq.id)
    }
  }, [faq, loadedId])

  const submit = async () => {
    if (!faq) return
    const outcome = await save.run({ faqId: faq.id, question, answer, policyPostId: policy?.id ?? null })
    if (outcome.ok) void Taro.navigateBack()
  }

  const valid = question.trim() !== '' && answer.trim() !== ''
  return (
    <AppPage className={classPrefix}>
      <PageState query={faqs} skeletonCards={2} empty={faqs.data !== undefined && !faq} emptyTitle='找不到这条常见问题' emptyDescription='它可能已被删除'>
        {faq && (
          <>
            {faq.needs_recheck && <Text className={`faq-edit-recheck ${classPrefix}__notice`}>关联的政策有更新，请核对解答后保存。</Text>}
            <View className={`${classPrefix}__card`}>
              <Text className={`${classPrefix}__label`}>问题</Text>
              <TextArea className='faq-edit-question' value={question} onChange={setQuestion} maxLength={FAQ_QUESTION_MAX} rows={2} placeholder='群成员常问的问题' />
              <Text className={`${classPrefix}__label`}>解答</Text>
              <TextArea className='faq-edit-answer' value={answer} onChange={setAnswer} maxLength={FAQ_ANSWER_MAX} rows={6} placeholder='写下解答' />
            </View>
            <PolicyPicker value={policy} onChange={setPolicy} />
            <Button className='faq-save' type='primary' size='large' block loading={save.pending} disabled={save.pending || !valid} onClick={() => void submit()}>
              保存
            </Button>
          </>
        )}
      </PageState>
    </AppPage>
  )
}
