import { useState } from 'react'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { AppPage } from '../../../../components/app-page'
import { Button } from '../../../../components/nutui'
import { Checkbox, Input, TextArea } from '../../../../components/nutui-form'
import { PageState } from '../../../../components/page-state'
import { useSessionUser } from '../../../../services/auth/use-session'
import { useGroupMembers, type GroupMember } from '../../../../services/groups/group-queries'
import { dueLabel, timeLabel } from '../../../../services/groups/timeline'
import { useCannedReplies } from '../../../../services/questions/desk-queries'
import {
  useAcceptAnswerMutation,
  useAssignQuestionMutation,
  useClaimQuestionMutation,
  useCloseQuestionMutation,
  useCreateFaqMutation,
  useMarkAnswerMutation,
  useReopenMutation,
  useReplyMutation,
} from '../../../../services/questions/question-mutations'
import { useQuestion, type QuestionDetail } from '../../../../services/questions/question-query'
import { QUESTION_STATUS_LABELS } from '../../../../services/questions/types'
import './index.scss'

const classPrefix = 'question-page'

/** 回复 for the group's butlers: one tap inserts a canned reply (常用回复); 作为答案 marks it the answer at once. */
function ButlerReply({ question }: { question: QuestionDetail }) {
  const [text, setText] = useState('')
  const [asAnswer, setAsAnswer] = useState(true)
  const canned = useCannedReplies(question.group_id, true)
  const reply = useReplyMutation(question.id)
  const replies = canned.data ?? []

  const insertCanned = async () => {
    if (replies.length === 0) {
      void Taro.showToast({ title: '还没有常用回复', icon: 'none' })
      return
    }
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: replies.slice(0, 6).map((r) => r.title) })
      const picked = replies[tapIndex]
      if (picked) setText((current) => (current ? `${current}\n${picked.body}` : picked.body))
    } catch {
      // Cancelled.
    }
  }

  const send = async () => {
    if (!text.trim()) return
    if ((await reply.run({ body: text, asAnswer })).ok) setText('')
  }

  return (
    <View className={`butler-reply ${classPrefix}__card`}>
      <View className={`${classPrefix}__reply-head`}>
        <Text className={`${classPrefix}__label`}>回复</Text>
        <Button className='insert-canned' size='small' fill='outline' type='default' onClick={() => void insertCanned()}>
          常用回复
        </Button>
      </View>
      <TextArea className={`answer-input ${classPrefix}__input`} value={text} onChange={setText} placeholder='写下解答…' maxLength={2000} rows={4} />
      <Checkbox className='as-answer' checked={asAnswer} onChange={setAsAnswer} label='作为答案（提问人会收到通知）' />
      <Button className='send-answer' type='primary' size='large' block loading={reply.pending} disabled={reply.pending || !text.trim()} onClick={() => void send()}>
        发送回复
      </Button>
    </View>
  )
}

/**
 * 转交 for the group's butlers: another butler of the group takes the open question over; the note (why,
 * what has been done) reaches them with the assignment notification.
 */
function HandOver({ question, butlers, onDone }: { question: QuestionDetail; butlers: readonly GroupMember[]; onDone: () => void }) {
  const others = butlers.filter((b) => b.user_id !== question.owner_id)
  const [to, setTo] = useState<GroupMember | null>(others.length === 1 ? others[0] : null)
  const [note, setNote] = useState('')
  const assign = useAssignQuestionMutation(question.id)

  const pick = async () => {
    try {
      const { tapIndex } = await Taro.showActionSheet({ itemList: others.slice(0, 6).map((b) => b.display_name) })
      setTo(others[tapIndex] ?? null)
    } catch {
      // Cancelled.
    }
  }

  const submit = async () => {
    if (!to) return
    if ((await assign.run({ butlerId: to.user_id, note })).ok) onDone()
  }

  if (others.length === 0) {
    return (
      <View className={`hand-over ${classPrefix}__card`}>
        <Text className={`${classPrefix}__meta`}>本群没有其他创业管家可以转交</Text>
        <Button size='small' type='default' onClick={onDone}>
          知道了
        </Button>
      </View>
    )
  }
  return (
    <View className={`hand-over ${classPrefix}__card`}>
      <Text className={`${classPrefix}__label`}>转交给本群其他管家</Text>
      <View className={`hand-over-pick ${classPrefix}__pick`} hoverClass={`${classPrefix}__pick--pressed`} onClick={() => void pick()}>
        <Text className={`${classPrefix}__pick-label`}>接手管家</Text>
        <Text className={`hand-over-to ${classPrefix}__pick-value`}>{to ? to.display_name : '请选择'} ›</Text>
      </View>
      <Input className='hand-over-note' value={note} onChange={setNote} placeholder='转交说明（选填），如：贷款问题张管家更熟' maxLength={200} />
      <View className={`${classPrefix}__row`}>
        <Button size='normal' type='default' onClick={onDone}>
          取消
        </Button>
        <Button className='confirm-hand-over' size='normal' type='primary' loading={assign.pending} disabled={assign.pending || !to} onClick={() => void submit()}>
          确认转交
        </Button>
      </View>
    </View>
  )
}

/** 采纳 or 继续追问 for the asker of an answered question; 补充 while it waits for an answer. */
function AskerActions({ question }: { question: QuestionDetail }) {
  const [text, setText] = useState('')
  const accept = useAcceptAnswerMutation(question.id)
  const reopen = useReopenMutation(question.id)
  const reply = useReplyMutation(question.id)

  if (question.status === 'answered') {
    return (
      <View className={`asker-actions ${classPrefix}__card`}>
        <Text className={`${classPrefix}__label`}>解答对您有帮助吗？</Text>
        <Button className='accept-answer' type='primary' size='large' block loading={accept.pending} disabled={accept.pending} onClick={() => void accept.run()}>
          采纳答案
        </Button>
        <TextArea className={`followup-input ${classPrefix}__input`} value={text} onChange={setText} placeholder='还有不清楚的地方？写下来继续追问' maxLength={2000} rows={3} />
        <Button
          className='ask-again'
          type='default'
          size='large'
          block
          loading={reopen.pending}
          disabled={reopen.pending || !text.trim()}
          onClick={() => void reopen.run(text).then((outcome) => outcome.ok && setText(''))}
        >
          继续追问
        </Button>
      </View>
    )
  }
  if (question.status === 'open') {
    return (
      <View className={`asker-actions ${classPrefix}__card`}>
        <TextArea className={`followup-input ${classPrefix}__input`} value={text} onChange={setText} placeholder='补充情况（选填）' maxLength={2000} rows={3} />
        <Button
          className='add-detail'
          type='default'
          size='large'
          block
          loading={reply.pending}
          disabled={reply.pending || !text.trim()}
          onClick={() => void reply.run({ body: text, asAnswer: false }).then((outcome) => outcome.ok && setText(''))}
        >
          补充
        </Button>
      </View>
    )
  }
  return null
}

/**
 * One question: its text, state, who answers it and by when, and the replies with the answer marked.
 * The asker accepts the answer or asks again; the group's butlers reply (with canned replies), mark an
 * answer, claim, hand over (转交) to another butler of the group with a note, close, and turn an answered question into an FAQ entry. The database decides who may
 * do what; the buttons only show what applies.
 */
export default function QuestionPage() {
  const router = useRouter()
  const questionId = router.params.id ?? null
  const user = useSessionUser()
  const question = useQuestion(user ? questionId : null)
  const data = question.data
  const members = useGroupMembers(data?.group_id ?? null)
  const butlers = (members.data ?? []).filter((m) => m.role === 'butler')
  const isButler = user?.role === 'admin' || butlers.some((m) => m.user_id === user?.id)
  // 转交 is for the group's own butlers (the database says the same: an admin who is not one cannot).
  const isGroupButler = butlers.some((m) => m.user_id === user?.id)
  const [handingOver, setHandingOver] = useState(false)
  const isAsker = data !== undefined && data.asker_id === user?.id
  const markAnswer = useMarkAnswerMutation(questionId ?? '')
  const close = useCloseQuestionMutation(questionId ?? '')
  const claim = useClaimQuestionMutation(questionId ?? '')
  const makeFaq = useCreateFaqMutation(questionId ?? '')

  usePullDownRefresh(() => {
    void question.refetch().finally(() => Taro.stopPullDownRefresh())
  })

  const confirmClose = async () => {
    const { confirm } = await Taro.showModal({ title: '关闭问题', content: '关闭后提问人不能再追问，确定关闭吗？', confirmText: '关闭' })
    if (confirm) await close.run('')
  }

  const confirmFaq = async () => {
    const { confirm } = await Taro.showModal({
      title: '加入常见问题',
      content: '把这个问题和答案加入本群的常见问题，其他人提类似问题时会看到。',
      confirmText: '加入',
    })
    if (confirm) await makeFaq.run({ question: '', answer: '' })
  }

  return (
    <AppPage className={classPrefix}>
      <PageState query={user ? question : undefined} empty={!user} emptyTitle='登录后查看问题'>
        {data && (
          <>
            <View className={`${classPrefix}__card`}>
              <View className={`${classPrefix}__head`}>
                <Text className={`question-title ${classPrefix}__title`}>{data.title}</Text>
                <Text className={`question-status ${classPrefix}__status ${classPrefix}__status--${data.status}`}>{QUESTION_STATUS_LABELS[data.status]}</Text>
              </View>
              {data.body && <Text className={`${classPrefix}__body`}>{data.body}</Text>}
              <Text className={`${classPrefix}__meta`}>
                {data.group.name} · {data.asker?.display_name ?? ''} 提问于 {timeLabel(data.created_at)}
              </Text>
              <Text className={`question-owner ${classPrefix}__meta`}>
                {data.owner ? `负责解答：${data.owner.display_name}` : '等待分配创业管家'}
                {data.status === 'open' && ` · 预计 ${dueLabel(data.due_at)} 前答复`}
                {data.status === 'open' && Date.parse(data.due_at) < Date.now() && ' · 已超时'}
              </Text>
            </View>

            <View className={`question-replies ${classPrefix}__card`}>
              <Text className={`${classPrefix}__label`}>回复（{data.replies.length}）</Text>
              {data.replies.length === 0 && <Text className={`${classPrefix}__meta`}>还没有回复，创业管家会尽快解答</Text>}
              {data.replies.map((reply) => {
                const isAnswer = reply.id === data.answer_reply_id
                return (
                  <View key={reply.id} className={`question-reply ${classPrefix}__reply${isAnswer ? ' is-answer' : ''}`}>
                    <View className={`${classPrefix}__reply-head`}>
                      <Text className={`${classPrefix}__reply-author`}>{reply.author?.display_name ?? ''}</Text>
                      {isAnswer && <Text className={`answer-tag ${classPrefix}__answer-tag`}>答案</Text>}
                      <Text className={`${classPrefix}__reply-time`}>{timeLabel(reply.created_at)}</Text>
                    </View>
                    <Text className={`question-reply-body ${classPrefix}__reply-body`}>{reply.body}</Text>
                    {isButler && data.status === 'open' && reply.author_id !== data.asker_id && (
                      <Button className='mark-answer' size='small' fill='outline' type='primary' loading={markAnswer.pending} onClick={() => void markAnswer.run(reply.id)}>
                        设为答案
                      </Button>
                    )}
                  </View>
                )
              })}
            </View>

            {isAsker && <AskerActions question={data} />}

            {isButler && (data.status === 'open' || data.status === 'answered') && <ButlerReply question={data} />}

            {isGroupButler && data.status === 'open' && handingOver && (
              <HandOver question={data} butlers={butlers} onDone={() => setHandingOver(false)} />
            )}

            {isButler && (
              <View className={`butler-actions ${classPrefix}__actions`}>
                {data.status === 'open' && data.owner_id !== user?.id && (
                  <Button className='claim-question' size='normal' type='primary' fill='outline' loading={claim.pending} onClick={() => void claim.run()}>
                    认领
                  </Button>
                )}
                {isGroupButler && data.status === 'open' && !handingOver && (
                  <Button className='hand-over-question' size='normal' type='primary' fill='outline' onClick={() => setHandingOver(true)}>
                    转交
                  </Button>
                )}
                {(data.status === 'answered' || data.status === 'accepted') && (
                  <Button className='make-faq' size='normal' type='primary' loading={makeFaq.pending} onClick={() => void confirmFaq()}>
                    加入常见问题
                  </Button>
                )}
                {data.status !== 'closed' && data.status !== 'accepted' && (
                  <Button className='close-question' size='normal' type='default' loading={close.pending} onClick={() => void confirmClose()}>
                    关闭问题
                  </Button>
                )}
              </View>
            )}
          </>
        )}
      </PageState>
    </AppPage>
  )
}
